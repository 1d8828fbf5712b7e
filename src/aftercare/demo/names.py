"""Small built-in vocabularies for the demo simulator (no external data; all synthetic)."""

FIRST_NAMES: tuple[str, ...] = (
    "Avery", "Jordan", "Maya", "Elena", "Marcus", "Priya", "Daniel", "Sofia", "Caleb", "Naomi",
    "Luis", "Grace", "Omar", "Hannah", "Wei", "Chloe", "Andre", "Leah", "Mateo", "Ruth",
    "Samuel", "Isabel", "Tariq", "Nora", "Ethan", "Keiko", "Julian", "Amara", "Owen", "Rosa",
    "Felix", "Dana", "Hector", "Iris", "Noah", "Lena", "Victor", "Zoe", "Kofi", "Tessa",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Alvarez", "Bennett", "Chen", "Delgado", "Ellison", "Fischer", "Garcia", "Haddad", "Ito",
    "Jensen", "Kowalski", "Lindqvist", "Mensah", "Nakamura", "Okafor", "Patel", "Quinn",
    "Reyes", "Sullivan", "Thompson", "Underwood", "Vasquez", "Whitaker", "Xu", "Yilmaz",
    "Zimmerman", "Brooks", "Castillo", "Dubois", "Foster", "Hughes", "Morales", "Novak",
    "Ortega", "Pham", "Romero", "Silva", "Tanaka", "Walsh", "Young",
)  # fmt: skip

# IANA zones a US clinic network plausibly serves, with rough population weights.
TIMEZONES: tuple[str, ...] = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Phoenix",
)
TIMEZONE_WEIGHTS: tuple[float, ...] = (0.38, 0.25, 0.09, 0.20, 0.08)

NOTES_GOOD: tuple[str, ...] = (
    "Good day, went for a walk.",
    "Felt more like myself today.",
    "Saw friends for dinner.",
    "Got some work done without forcing it.",
    "Slept better last night.",
    "Cooked a real meal for the first time in a while.",
)
NOTES_NEUTRAL: tuple[str, ...] = (
    "Tired but okay.",
    "Busy day at work.",
    "Hard morning, better by evening.",
    "Headache in the evening.",
    "Nothing much to report.",
)
NOTES_LOW: tuple[str, ...] = (
    "Mood dipped this afternoon.",
    "Didn't want to get out of bed.",
    "Work was stressful.",
    "Feeling flat again.",
    "Skipped the gym, no energy.",
)
NOTES_INFUSION: tuple[str, ...] = (
    "Felt a bit foggy after the infusion.",
    "Some nausea on the drive home, gone now.",
    "Strange but calm session today.",
    "Resting this evening as advised.",
    "Lighter than this morning.",
)
