"""A third-party pack on the public SDK only, written as the README documents: physical quantities in
slots (`kind="quantity"` with a `unit`), which the resolver converts from whatever unit is said."""
from __future__ import annotations

from intents.sdk import Pack, Result, Slot

pack = Pack(id="physics", name="Physics", version="1.0.0", vertical="science", publisher="Example Labs",
            description="Travel time, average speed and kinetic energy from distances, speeds, masses and times.")

DISTANCE = dict(kind="quantity", unit="km", gt=0, cues=["distance", "go", "travel", "cover", "drive", "trip", "far"])
SPEED = dict(kind="quantity", unit="km/h", gt=0, cues=["speed", "at", "going", "moving", "velocity", "averaging"])


class TravelTime(Result):
    hours: float


@pack.action(samples=["how long to travel 100 km at 50 km/h", "time to cover 3 miles at 4 mph",
                      "travel time for 400 km at 80 km/h", "how long does a 12 km trip take at 20 km/h"],
             templates=["how long to (travel|go|drive|cover) {distance} at {speed}"])
def travel_time(distance: float = Slot("Distance to travel", **DISTANCE),
                speed: float = Slot("Constant speed", **SPEED)) -> TravelTime:
    """Time to travel a distance at a constant speed."""
    return TravelTime(hours=distance / speed, basis="time = distance / speed")


class AverageSpeed(Result):
    km_per_hour: float


@pack.action(samples=["average speed for 42 km in 3 hours", "what was my average speed if i ran 10 km in 50 minutes",
                      "average speed covering 300 miles in 5 hours", "mean speed for 1500 m in 4 minutes"])
def average_speed(distance: float = Slot("Distance covered", **DISTANCE),
                  duration: float = Slot("Time it took", kind="quantity", unit="h", gt=0,
                                         cues=["in", "took", "taking", "time"])) -> AverageSpeed:
    """Average speed over a distance covered in a time."""
    return AverageSpeed(km_per_hour=distance / duration, basis="speed = distance / time")


class KineticEnergy(Result):
    joules: float


@pack.action(samples=["kinetic energy of a 1500 kg car at 100 km/h", "kinetic energy of 2 kg moving at 3 m/s",
                      "how much kinetic energy does a 70 kg runner at 8 m/s have", "energy of motion for 10 g at 900 m/s"])
def kinetic_energy(mass: float = Slot("Mass of the body", kind="quantity", unit="kg", gt=0,
                                      cues=["mass", "weighing", "weighs", "of"]),
                   speed: float = Slot("Its speed", kind="quantity", unit="m/s", gt=0,
                                       cues=["speed", "at", "moving", "going", "velocity"])) -> KineticEnergy:
    """Kinetic energy of a body of a mass moving at a speed."""
    return KineticEnergy(joules=0.5 * mass * speed ** 2, basis="E = ½ m v²")
