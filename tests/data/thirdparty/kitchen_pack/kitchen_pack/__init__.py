"""Kitchen arithmetic on the public SDK: scale a recipe, convert cooking measures (volume <-> weight through
the ingredient's density), convert oven temperatures and time a roast. Densities and roasting tables are
the usual cookbook figures (US customary cup of 236.6 ml); a thermometer beats any table."""
from __future__ import annotations

from typing import Literal

from intents.sdk import Pack, ParameterError, Render, Result, Slot

pack = Pack(
    id="kitchen",
    name="Kitchen",
    version="1.0.0",
    description="Scale recipes, convert cups, spoons, grams and millilitres, oven temperatures and roast times.",
    publisher="Example Test Kitchen",
    vertical="cooking",
    sensitive=[],
    negatives=["order a pizza", "find me a recipe for lasagna", "book a table for two", "add eggs to my shopping list",
               "set a timer for 10 minutes"],
)


class Scaled(Result):
    factor: float
    scaled_amount: float | None = None


@pack.action(
    title="Scale a recipe",
    samples=[
        "scale a recipe for 4 servings to 10 servings",
        "recipe serves 6, I need it for 2",
        "I have 3 cups of flour for 8 people, how much for 12",
        "adjust a 4 person recipe to serve 9",
        "scale this recipe",
    ],
    templates=["scale [a|the] recipe [for|from] {servings} [servings|people] to {target_servings} [servings|people]"],
    render=Render(kind="headline", headline="factor"),
)
def scale_recipe(
    servings: int = Slot("Servings the recipe makes", kind="integer", ge=1, le=1000, question="How many does it serve?",
                         cues=["serves", "servings", "makes", "for", "from", "recipe", "yields"]),
    target_servings: int = Slot("Servings wanted", kind="integer", ge=1, le=10000, question="How many do you need?",
                                cues=["to", "need", "want", "feed", "serve", "instead"]),
    amount: float | None = Slot("An ingredient amount to scale, in any measure", default=None, kind="number", gt=0,
                                le=100000, cues=["cups", "grams", "g", "tbsp", "tsp", "ml", "of"]),
) -> Scaled:
    """Scale a recipe from the servings it makes to the servings wanted (and one ingredient amount)."""
    factor = target_servings / servings
    scaled = None if amount is None else round(amount * factor, 3)
    basis = f"factor = {target_servings} / {servings} servings"
    if amount is not None:
        basis += f"; {amount:g} x {factor:.4g}"
    return Scaled(factor=round(factor, 4), scaled_amount=scaled, basis=basis)


# millilitres per unit (US customary) and grams per unit
VOLUME_ML = {"cup": 236.588, "tbsp": 14.7868, "tsp": 4.92892, "fl_oz": 29.5735, "ml": 1.0, "l": 1000.0,
             "pint": 473.176, "quart": 946.353}
MASS_G = {"g": 1.0, "kg": 1000.0, "oz": 28.3495, "lb": 453.592}
# grams per millilitre, from the usual cup weights (flour 125 g, sugar 200 g, butter 227 g, honey 340 g ...)
DENSITY = {"water": 1.0, "milk": 1.03, "flour": 0.528, "sugar": 0.845, "brown_sugar": 0.93, "powdered_sugar": 0.507,
           "butter": 0.959, "oil": 0.92, "honey": 1.437, "rice": 0.782, "salt": 1.217, "oats": 0.38, "cocoa": 0.355}
Unit = Literal["cup", "tbsp", "tsp", "fl_oz", "ml", "l", "pint", "quart", "g", "kg", "oz", "lb"]
UNIT_WORDS = {"cups": "cup", "c": "cup", "tablespoon": "tbsp", "tablespoons": "tbsp", "tbsps": "tbsp", "tbs": "tbsp",
              "teaspoon": "tsp", "teaspoons": "tsp", "tsps": "tsp", "fluid ounce": "fl_oz", "fluid ounces": "fl_oz",
              "fl oz": "fl_oz", "millilitre": "ml", "millilitres": "ml", "milliliter": "ml", "milliliters": "ml",
              "litre": "l", "litres": "l", "liter": "l", "liters": "l", "pints": "pint", "quarts": "quart",
              "gram": "g", "grams": "g", "gr": "g", "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg",
              "ounce": "oz", "ounces": "oz", "pound": "lb", "pounds": "lb", "lbs": "lb"}


class Converted(Result):
    converted: float
    unit: str


@pack.action(
    title="Convert cooking measures",
    samples=[
        "convert 2 cups of flour to grams",
        "how many grams is 3 tbsp of butter",
        "250 g of sugar in cups",
        "how many teaspoons in 2 tablespoons",
        "500 ml of milk to cups",
    ],
    templates=["convert {amount} {from_unit} [of] [{ingredient}] (to|in|into) {to_unit}",
               "how many {to_unit} [is|are|in] {amount} {from_unit} [of] [{ingredient}]"],
    render=Render(kind="headline", headline="converted"),
)
def convert_measure(
    amount: float = Slot("Amount to convert", kind="number", gt=0, le=1_000_000, question="How much?"),
    from_unit: Unit = Slot("Measure the amount is in", kind="choice", synonyms=UNIT_WORDS,
                           question="In which measure (cups, grams, tbsp ...)?", cues=["of", "from"]),
    to_unit: Unit = Slot("Measure wanted", kind="choice", synonyms=UNIT_WORDS, question="Into which measure?",
                         cues=["to", "in", "into", "as", "how many"]),
    ingredient: Literal["water", "milk", "flour", "sugar", "brown_sugar", "powdered_sugar", "butter", "oil", "honey",
                        "rice", "salt", "oats", "cocoa"] = Slot(
        "Ingredient, for converting between volume and weight", default="water", kind="choice",
        synonyms={"all-purpose flour": "flour", "plain flour": "flour", "ap flour": "flour",
                  "granulated sugar": "sugar", "caster sugar": "sugar", "icing sugar": "powdered_sugar",
                  "confectioners sugar": "powdered_sugar", "brown sugar": "brown_sugar", "olive oil": "oil",
                  "vegetable oil": "oil", "rolled oats": "oats", "cocoa powder": "cocoa"}),
) -> Converted:
    """Convert a cooking measure: volume to volume, weight to weight, or across them by the ingredient's density."""
    def to_base(unit: str) -> tuple[str, float]:
        return ("ml", VOLUME_ML[unit]) if unit in VOLUME_ML else ("g", MASS_G[unit])

    src_dim, src = to_base(from_unit)
    dst_dim, dst = to_base(to_unit)
    base = amount * src
    density = DENSITY[ingredient]
    if src_dim == dst_dim:
        how = "same dimension"
    elif src_dim == "ml":
        base *= density
        how = f"{ingredient} at {density:g} g/ml"
    else:
        base /= density
        how = f"{ingredient} at {density:g} g/ml"
    out = base / dst
    if out <= 0:
        raise ParameterError("amount", "too small to convert")
    return Converted(converted=round(out, 3), unit=to_unit,
                     basis=f"{amount:g} {from_unit} = {amount * src:g} {src_dim}; {how}; / {dst:g} {dst_dim} per {to_unit}")


class OvenTemp(Result):
    celsius: float
    fahrenheit: float
    fan_celsius: float
    gas_mark: float | None = None


# gas marks by their usual Celsius equivalents
GAS_MARKS = [(0.25, 110), (0.5, 120), (1, 140), (2, 150), (3, 170), (4, 180), (5, 190), (6, 200), (7, 220), (8, 230),
             (9, 240), (10, 260)]


@pack.action(
    title="Oven temperature",
    samples=[
        "convert 350 f oven temperature to celsius",
        "what is 180 c in fahrenheit for the oven",
        "oven at 425 degrees fahrenheit in gas mark",
        "200 celsius fan oven equivalent",
    ],
    templates=["[convert] {temperature} oven [temperature] [to|in] (celsius|fahrenheit|gas mark)"],
    render=Render(kind="headline", headline="celsius"),
)
def oven_temperature(
    temperature: float = Slot("Oven temperature (conventional oven)", kind="quantity", unit="degC", ge=30, le=300,
                              question="What temperature?", cues=["oven", "temperature", "temp", "degrees", "bake", "at",
                                                                 "preheat"]),
) -> OvenTemp:
    """An oven temperature in Celsius, Fahrenheit, the fan-oven equivalent and the nearest gas mark."""
    fahrenheit = temperature * 9 / 5 + 32
    mark = min(GAS_MARKS, key=lambda m: abs(m[1] - temperature))
    gas = mark[0] if 100 <= temperature <= 270 else None  # gas marks stop at the ends of their scale
    return OvenTemp(celsius=round(temperature, 1), fahrenheit=round(fahrenheit, 1),
                    fan_celsius=round(temperature - 20, 1), gas_mark=gas,
                    basis="F = C x 9/5 + 32; fan oven 20 C lower; gas mark by the nearest of the usual table")


class RoastTime(Result):
    minutes: int
    oven_celsius: int
    internal_celsius: int
    rest_minutes: int


# minutes per kg and fixed extra minutes, by meat and doneness; poultry and pork are always cooked through
ROAST = {
    ("beef", "rare"): (40, 20), ("beef", "medium_rare"): (45, 20), ("beef", "medium"): (50, 20), ("beef", "well_done"): (60, 20),
    ("lamb", "rare"): (45, 20), ("lamb", "medium_rare"): (50, 20), ("lamb", "medium"): (55, 20), ("lamb", "well_done"): (65, 20),
    ("pork", None): (65, 30), ("chicken", None): (45, 20), ("turkey", None): (35, 20),
}
OVEN_C = {"beef": 180, "lamb": 180, "pork": 190, "chicken": 200, "turkey": 180}
INTERNAL_C = {"rare": 52, "medium_rare": 56, "medium": 60, "well_done": 71, "pork": 63, "chicken": 74, "turkey": 74}


@pack.action(
    title="Roast cooking time",
    samples=[
        "how long to roast a 2 kg chicken",
        "cooking time for a 1.5 kg beef joint medium rare",
        "roast time for a 5 lb leg of lamb well done",
        "how long do I cook a 6 kg turkey",
        "roasting time for pork shoulder 3 kg",
    ],
    templates=["how long to (roast|cook) [a] {weight} {meat}"],
    render=Render(kind="headline", headline="minutes"),
)
def roast_time(
    weight: float = Slot("Weight of the joint or bird", kind="quantity", unit="kg", gt=0.2, le=15,
                         question="How heavy is it?", cues=["weight", "weighs", "weighing", "kg", "joint", "bird"]),
    meat: Literal["beef", "lamb", "pork", "chicken", "turkey"] = Slot(
        "What is being roasted", kind="choice", question="Which meat?",
        synonyms={"sirloin": "beef", "rib roast": "beef", "prime rib": "beef", "topside": "beef", "brisket": "beef",
                  "leg of lamb": "lamb", "mutton": "lamb", "pork loin": "pork", "pork shoulder": "pork",
                  "ham": "pork", "gammon": "pork", "bird": "chicken", "hen": "chicken"}),
    doneness: Literal["rare", "medium_rare", "medium", "well_done"] = Slot(
        "Doneness (beef and lamb)", default="medium", kind="choice",
        synonyms={"medium rare": "medium_rare", "medium-rare": "medium_rare", "pink": "medium", "well done": "well_done",
                  "well-done": "well_done", "well": "well_done"}),
) -> RoastTime:
    """Roasting time for a joint or bird by weight, with the oven and target internal temperature."""
    key = (meat, doneness) if meat in ("beef", "lamb") else (meat, None)
    per_kg, extra = ROAST[key]
    minutes = round(per_kg * weight + extra)
    internal = INTERNAL_C[doneness] if meat in ("beef", "lamb") else INTERNAL_C[meat]
    return RoastTime(minutes=minutes, oven_celsius=OVEN_C[meat], internal_celsius=internal,
                     rest_minutes=15 if weight < 3 else 30,
                     basis=f"{per_kg} min/kg x {weight:g} kg + {extra} min at {OVEN_C[meat]} C; take it out at "
                           f"{internal} C inside ({meat}{', ' + doneness if key[1] else ''})")
