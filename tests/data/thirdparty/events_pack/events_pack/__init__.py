"""Event-planning figures, a third-party pack on the public SDK only: how much food to order, how many
people a room seats, how many tickets cover the costs and how many days are left until the event."""
from __future__ import annotations

import math
from datetime import date
from typing import Literal

from intents.sdk import ActionContext, Pack, ParameterError, Render, Result, Slot

pack = Pack(id="events", name="Event planning", version="1.0.0", vertical="events", publisher="Partyline Software",
            description="Catering quantities, venue seating capacity, ticket break-even and days until an event.",
            negatives=["book a wedding dj", "send the invitations", "order a birthday cake",
                       "add the party to my calendar", "find a venue near me"])

pack.words(vocabulary={"pax": "guests", "rsvp": "guests", "sqft": "square feet"})

SQFT_M2 = 0.09290304

# Floor area per person, in square feet, from the usual planners' rules of thumb (aisles and service
# space included): rows of chairs pack tightest, rounds of ten need room to serve, desks need the most.
AREA_PER_PERSON_SQFT = {"cocktail": 8.0, "theatre": 9.0, "banquet": 12.0, "classroom": 18.0}


class CateringQuantity(Result):
    servings: int
    base_servings: float


@pack.action(
    title="Catering quantity",
    samples=["how much food for 80 guests at 2 servings each",
             "catering for 150 people with 1.5 servings per guest",
             "how many portions do i need for 40 guests plus 15% extra",
             "servings needed to feed 200 attendees",
             "catering quantity for my party"],
    templates=["[how much] (food|catering) for {guests} (guests|people)"],
    render=Render(kind="headline", headline="servings", labels={"servings": "portions"}),
)
def catering_quantity(
    guests: int = Slot("Number of guests", kind="integer", ge=1, le=100_000, question="How many guests?",
                       cues=["guests", "people", "attendees", "persons", "pax", "feed", "for"]),
    servings_per_guest: float = Slot("Servings each guest eats", default=1.0, kind="number", gt=0, le=20,
                                     cues=["servings", "portions", "each", "per", "plates", "helpings"]),
    buffer_pct: float = Slot("Extra on top, percent", default=10, kind="percent", ge=0, le=100,
                             cues=["extra", "buffer", "spare", "margin", "plus", "safety"]),
) -> CateringQuantity:
    """Servings to order for a number of guests, with a safety margin on top."""
    base = guests * servings_per_guest
    total = math.ceil(round(base * (1 + buffer_pct / 100), 6))  # round first: 1.1 x 100 is 110.00000000000001
    return CateringQuantity(servings=total, base_servings=base,
                            basis=f"servings = {guests} guests x {servings_per_guest:g} each x (1 + {buffer_pct:g}% extra), "
                                  "rounded up")


class VenueSeating(Result):
    capacity: int
    area_m2: float
    area_per_person_m2: float


@pack.action(
    title="Venue seating capacity",
    samples=["how many people fit in a 200 m2 room theatre style",
             "seating capacity of a 3000 sq ft hall banquet style",
             "classroom seating for a 120 square metre room",
             "how many guests can a 1500 square feet venue seat for a reception",
             "room capacity for 90 m² with round tables"],
    templates=["[how many people] (fit|seat) in {area} [room] {style} style"],
    render=Render(kind="headline", headline="capacity", units={"area_m2": "m²", "area_per_person_m2": "m²"}),
)
def venue_seating(
    area: float = Slot("Floor area of the room", kind="quantity", unit="m^2", gt=0, le=100_000,
                       question="How big is the room?",
                       cues=["room", "hall", "venue", "space", "area", "floor", "ballroom", "of"]),
    style: Literal["theatre", "banquet", "classroom", "cocktail"] = Slot(
        "Seating layout", default="theatre", kind="choice",
        synonyms={"theater": "theatre", "rows": "theatre", "auditorium": "theatre", "lecture": "theatre",
                  "rounds": "banquet", "round": "banquet", "dinner": "banquet", "gala": "banquet",
                  "wedding": "banquet", "desks": "classroom", "school": "classroom", "workshop": "classroom",
                  "standing": "cocktail", "reception": "cocktail", "mingling": "cocktail"}),
) -> VenueSeating:
    """How many people a room seats in a layout, from its floor area."""
    per_person = AREA_PER_PERSON_SQFT[style] * SQFT_M2
    capacity = math.floor(round(area / per_person, 6))
    return VenueSeating(capacity=capacity, area_m2=round(area, 2), area_per_person_m2=round(per_person, 3),
                        basis=f"capacity = floor area / area per person = {area:.2f} m² / {per_person:.3f} m² "
                              f"({AREA_PER_PERSON_SQFT[style]:g} sq ft, {style} style), rounded down")


class TicketBreakEven(Result):
    tickets: int
    margin_per_ticket: float
    revenue: float


@pack.action(
    title="Ticket break-even",
    samples=["how many tickets to break even with 5000 fixed costs and tickets at 25",
             "break-even ticket sales for a $12,000 event selling tickets for $40 with $8 per attendee catering",
             "tickets needed to cover 3000 in costs at 15 a ticket",
             "break even point: venue and band 7500, ticket price 30, cost per head 5"],
    render=Render(kind="headline", headline="tickets", labels={"margin_per_ticket": "margin"}),
)
def ticket_break_even(
    fixed_costs: float = Slot("Fixed costs of the event (venue, band, marketing)", kind="money", gt=0, le=100_000_000,
                              question="What are the fixed costs?",
                              cues=["fixed", "costs", "cover", "venue", "overhead", "expenses", "budget", "event"]),
    ticket_price: float = Slot("Price of one ticket", kind="money", gt=0, le=100_000, question="What does a ticket cost?",
                               cues=["ticket", "tickets", "price", "selling", "charge", "admission", "a"]),
    cost_per_attendee: float = Slot("Cost for each attendee (food, wristband)", default=0, kind="money", ge=0,
                                    le=100_000, cues=["attendee", "head", "person", "guest", "variable", "catering"]),
) -> TicketBreakEven:
    """Tickets to sell so the event covers its costs: fixed costs over the margin on each ticket."""
    margin = ticket_price - cost_per_attendee
    if margin <= 0:
        raise ParameterError("ticket_price", "must be more than the cost per attendee, or no number of tickets breaks even")
    tickets = math.ceil(round(fixed_costs / margin, 6))
    return TicketBreakEven(tickets=tickets, margin_per_ticket=round(margin, 2), revenue=round(tickets * ticket_price, 2),
                           basis=f"break-even tickets = fixed costs / (price - cost per attendee) = {fixed_costs:g} / "
                                 f"({ticket_price:g} - {cost_per_attendee:g}), rounded up")


class Countdown(Result):
    days: int
    weeks: float
    event_date: date
    passed: bool


@pack.action(
    title="Days until an event",
    samples=["how many days until 2027-06-12",
             "countdown to the wedding on August 20 2027",
             "days left until my party on March 3",
             "how long until the conference on 15 May 2027"],
    templates=["[how many] days (until|till|to) {event_date}"],
    render=Render(kind="headline", headline="days", labels={"days": "days left"}),
)
def countdown(
    ctx: ActionContext,
    event_date: date = Slot("Date of the event", kind="date", question="When is the event?",
                            cues=["on", "until", "till", "to", "date", "is"]),
) -> Countdown:
    """Days (and weeks) from today until an event's date."""
    today = ctx.now().date() if ctx is not None else date.today()
    days = (event_date - today).days
    return Countdown(days=days, weeks=round(days / 7, 1), event_date=event_date, passed=days < 0,
                     basis=f"days = {event_date.isoformat()} - today ({today.isoformat()})")
