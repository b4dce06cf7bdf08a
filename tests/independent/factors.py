"""Decision factors in plain words, and the ones the law keeps out of any decision.

A candidate must be told which qualifications were assessed, in words a person uses,
never as ``snake_case``. Words that would read as a score or threshold are said
another way, and digits are spelled out, so a factor's name can never show a number
the message must not contain.
"""

from __future__ import annotations

import re

PROTECTED_WORDS = frozenset(
    {
        "age",
        "aged",
        "race",
        "racial",
        "ethnicity",
        "ethnic",
        "gender",
        "sex",
        "disability",
        "disabled",
        "handicap",
        "religion",
        "religious",
        "creed",
        "nationality",
        "citizenship",
        "pregnancy",
        "pregnant",
        "marital",
        "zip",
        "zipcode",
        "postcode",
        "dob",
        "birthdate",
        "birthday",
        "birthplace",
        "dateofbirth",
        "ancestry",
        "caste",
        "genetic",
        "veteran",
        "immigration",
        "nationalorigin",
        "height",
    }
)
PROTECTED_PHRASES = (
    "national_origin",
    "date_of_birth",
    "birth_date",
    "birth_year",
    "year_of_birth",
    "skin_color",
    "skin_colour",
    "sexual_orientation",
    "gender_identity",
    "marital_status",
    "postal_code",
    "zip_code",
    "country_of_origin",
    "body_weight",
    "military_status",
    "family_status",
    "caregiver_status",
)
SPECIAL = {
    "rejection_reason_unspecified": "an unspecified rejection reason",
    "application_review": "the review of your application",
}
EXPANSIONS = {
    "yrs": "years",
    "yr": "year",
    "exp": "experience",
    "edu": "education",
    "cert": "certification",
    "certs": "certifications",
    "num": "number of",
    "avg": "average",
    "mgmt": "management",
    "mgr": "manager",
    "comm": "communication",
    "qual": "qualification",
    "quals": "qualifications",
    "req": "requirement",
    "reqs": "requirements",
    "gpa": "grade point average",
    "sql": "SQL",
    "api": "API",
    "aws": "AWS",
    "ml": "machine learning",
    "ai": "AI",
}
REWORDED = {
    "score": "assessment",
    "scores": "assessments",
    "scored": "assessed",
    "scoring": "assessment",
    "rating": "assessment",
    "ratings": "assessments",
    "rated": "assessed",
    "rank": "standing",
    "ranking": "standing",
    "ranked": "placed",
    "percentile": "standing",
    "percent": "share",
    "percentage": "share",
    "pct": "share",
    "threshold": "requirement",
    "cutoff": "requirement",
    "null": "empty",
    "none": "no",
    "nan": "unknown",
    "undefined": "unspecified",
}
ONES = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_RUNS = re.compile(r"[a-z]+|[0-9]+")


def is_protected(factor: str) -> bool:
    """Whether the factor is a protected characteristic or a ZIP code (or names one)."""
    tokens = factor.split("_")
    if PROTECTED_WORDS.intersection(tokens):
        return True
    padded = f"_{factor}_"
    return any(f"_{phrase}_" in padded for phrase in PROTECTED_PHRASES)


def plain_words(factor: str) -> str:
    """``years_experience`` becomes ``years of experience``; ``python3`` becomes ``python three``."""
    if factor in SPECIAL:
        return SPECIAL[factor]
    words: list[str] = []
    for token in factor.split("_"):
        for run in _RUNS.findall(token):
            words.append(_number_words(run) if run.isdigit() else _word(run))
    phrase = " ".join(word for word in words if word)
    return phrase.replace("years experience", "years of experience").replace("year experience", "year of experience")


def _word(token: str) -> str:
    token = EXPANSIONS.get(token, token)
    return REWORDED.get(token, token)


def _number_words(digits: str) -> str:
    """Spell a digit run: whole numbers below a thousand as words, longer runs digit by digit."""
    if len(digits) > 3 or (len(digits) > 1 and digits.startswith("0")):
        return " ".join(ONES[int(digit)] for digit in digits)
    number = int(digits)
    if number < 20:
        return ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return TENS[tens] + (f"-{ONES[ones]}" if ones else "")
    hundreds, rest = divmod(number, 100)
    return f"{ONES[hundreds]} hundred" + (f" {_number_words(str(rest))}" if rest else "")


ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def title_without_digits(text: str) -> str:
    """Job titles number their levels in Roman numerals ("Analyst II"), which keeps them free of digits."""
    return re.sub(r"[0-9]+", lambda match: _roman(match.group(0)), text)


def _roman(digits: str) -> str:
    number = int(digits)
    if not 0 < number < 4000 or digits.startswith("0"):
        return _number_words(digits)
    numeral = ""
    for value, letters in ROMAN:
        count, number = divmod(number, value)
        numeral += letters * count
    return numeral
