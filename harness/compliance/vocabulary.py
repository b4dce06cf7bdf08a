"""Term lists the rules match against, kept apart from the matching code so they can be reviewed.

Protected characteristics follow NYC Admin. Code § 8-107 (the NYC Human Rights Law, which
added height and weight in 2023) and Illinois HB 3773's ban on ZIP codes as a proxy
(reference/law.md § 3.5). Everything else here is suite policy.
"""

from __future__ import annotations

import re

# --- MSG-007: protected characteristics named in message text --------------------------------

#: Phrases naming a protected characteristic in prose; matched case-insensitively on word
#: boundaries, so "manager", "engage", "average", "stage", "page" and "sexton" never match.
PROTECTED_TEXT_TERMS: tuple[str, ...] = (
    "race", "races", "racial", "ethnicity", "ethnicities", "ethnic", "color", "colour",
    "skin colour", "sex", "gender", "genders", "gender identity", "gender expression",
    "age", "ages", "disability", "disabilities", "religion", "religions", "religious",
    "creed", "national origin", "nationality", "citizenship", "citizenship status",
    "alienage", "immigration status", "marital status", "partnership status", "pregnancy",
    "pregnant", "sexual orientation", "veteran status", "military status", "status as a veteran",
    "genetic information", "genetic", "caregiver status", "height", "weight",
    "date of birth", "birth date", "birthdate", "year of birth", "birth year",
    "zip code", "zip codes", "zip", "zipcode", "postal code", "postcode",
    # NYC Human Rights Law (Admin. Code § 8-107) also protects these in hiring:
    "arrest record", "conviction record", "criminal record", "criminal history", "credit history",
    "credit check", "credit report", "credit score", "salary history", "unemployment status",
)  # fmt: skip

#: Terms that law and practice expect next to an accommodation offer ("if you have a
#: disability, you can ask for a reasonable accommodation"): there they describe a right,
#: not a reason for the decision, so MSG-007 does not report them in such a sentence.
ACCOMMODATION_CONTEXT_TERMS: frozenset[str] = frozenset({"disability", "disabilities"})

#: A five-digit number or ZIP+4, looked for after dates, URLs, emails and phones are masked.
ZIP_NUMBER_RE = re.compile(r"(?<![\w.,-])\d{5}(?:-\d{4})?(?![\w]|[.,]\d)")

# --- MEMO-005: protected characteristics as decision factors ---------------------------------

#: Single snake_case tokens that make a factor a protected characteristic. "weight" is left
#: out on purpose: factor names such as "skill_weight" or "weighted_score" are common and are
#: about the model, not the person; a body-weight factor would need a longer name
#: ("body_weight") and is listed in PROTECTED_FACTOR_SEQUENCES.
PROTECTED_FACTOR_TOKENS: frozenset[str] = frozenset({
    "age", "gender", "sex", "race", "racial", "ethnicity", "ethnic", "religion", "religious",
    "disability", "disabled", "dob", "birth", "birthdate", "birthday", "zip", "zipcode",
    "postcode", "nationality", "citizenship", "citizen", "pregnancy", "pregnant", "marital",
    "veteran", "color", "colour", "creed", "caregiver", "genetic", "genetics", "height",
    "alienage",
    # words that name a protected group or stand in for one (age: old/young; sex; race; religion)
    "old", "older", "young", "younger", "elderly", "male", "female", "woman", "women", "transgender",
    "lgbt", "lgbtq", "hispanic", "latino", "latina", "latinx", "asian", "african", "caucasian",
    "christian", "muslim", "jewish", "catholic", "hindu", "buddhist", "sikh", "gay", "lesbian",
    "bisexual", "queer", "immigrant", "immigration", "ancestry", "maternity", "married", "handicap",
    "handicapped", "bmi", "birthplace",
})  # fmt: skip

#: Multi-token names (matched as consecutive snake_case tokens).
PROTECTED_FACTOR_SEQUENCES: tuple[tuple[str, ...], ...] = (
    ("date", "of", "birth"), ("birth", "year"), ("birth", "date"), ("year", "of", "birth"),
    ("zip", "code"), ("postal", "code"), ("national", "origin"), ("marital", "status"),
    ("sexual", "orientation"), ("veteran", "status"), ("military", "status"),
    ("caregiver", "status"), ("gender", "identity"), ("immigration", "status"),
    ("body", "weight"),
    # NYC Admin. Code § 8-107: arrest and conviction records (Fair Chance Act), credit history,
    # salary history, unemployment status, partnership status, domestic-violence victim status
    ("arrest", "record"), ("conviction", "record"), ("criminal", "record"), ("criminal", "history"),
    ("credit", "history"), ("credit", "check"), ("credit", "report"), ("credit", "score"),
    ("salary", "history"), ("unemployment", "status"), ("partnership", "status"),
    ("domestic", "violence"), ("place", "of", "birth"), ("country", "of", "birth"),
    ("country", "of", "origin"), ("reproductive", "health"), ("uniformed", "service"),
)  # fmt: skip

#: How a protected factor token is likely written in prose, beyond the token itself.
PROTECTED_FACTOR_PROSE: dict[str, tuple[str, ...]] = {
    "dob": ("date of birth", "birth date", "birthday"),
    "zip": ("zip code", "postal code"),
    "zipcode": ("zip code",),
    "postcode": ("postal code",),
}

# --- MSG-002: tracing factor names to words ---------------------------------------------------

#: Tokens that carry no meaning for a candidate: measurement words and units (a message
#: saying "we keep it for four years" must not count as naming "years_experience"), code
#: noise, connectors, and the reasons webhook decisions use when an ATS gives none.
GENERIC_FACTOR_TOKENS: frozenset[str] = frozenset({
    "score", "scores", "scored", "scoring", "rating", "ratings", "rate", "value", "val",
    "num", "number", "nb", "pct", "percent", "percentage", "level", "lvl", "total", "count",
    "cnt", "flag", "is", "has", "raw", "norm", "normalized", "normalised", "adj", "adjusted",
    "weight", "weighted", "avg", "average", "mean", "min", "max", "sum", "index", "idx",
    "metric", "feature", "feat", "factor", "input", "bool", "binary", "indicator", "ind",
    "model", "pred", "prediction", "prob", "probability", "result", "status", "tier",
    "shap", "logit", "embedding", "vector", "coefficient", "coef",
    "band", "bucket", "rank", "ranking", "pts", "points", "any", "all", "other", "misc",
    "rejection", "reason", "unspecified", "years", "year", "yrs", "yr", "months", "month",
    "days", "hours", "and", "or", "of", "the", "in", "on", "for", "to",
    "a", "an", "with", "per", "by", "at", "from", "vs",
})  # fmt: skip

#: Abbreviations in factor names and the plain words a message would use instead.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "exp": ("experience",),
    "yoe": ("experience",),
    "tech": ("technical", "technology"),
    "edu": ("education",),
    "educ": ("education",),
    "cert": ("certification", "certificate", "certified"),
    "certs": ("certification", "certificate", "certified"),
    "comm": ("communication",),
    "comms": ("communication",),
    "mgmt": ("management", "managing", "manager"),
    "mgr": ("manager", "management"),
    "qual": ("qualification",),
    "quals": ("qualification",),
    "lang": ("language",),
    "prog": ("programming",),
    "dev": ("development", "developer"),
    "eng": ("engineering", "english"),
    "admin": ("administration", "administrative"),
    "assess": ("assessment",),
    "interp": ("interpersonal",),
    "sql": ("sql", "database", "databases"),
    "gpa": ("grades", "grade", "academic"),
    "loc": ("location",),
    "ref": ("reference",),
    "refs": ("reference",),
    "avail": ("availability", "available"),
}

# --- MSG-006: numbers and model internals ----------------------------------------------------

#: Words that turn a nearby number into a score, rank, threshold or weight.
SCORE_WORDS: frozenset[str] = frozenset({
    "score", "scores", "scored", "scoring", "rating", "ratings", "rated", "rank", "ranks",
    "ranked", "ranking", "threshold", "thresholds", "cutoff", "cutoffs", "percentile",
    "percentiles", "weight", "weights", "weighted", "weighting", "coefficient",
    "coefficients", "probability", "confidence", "point", "points", "pts",
    "marks", "stars",
})  # fmt: skip

#: Wording that states a percentage even without a "%" sign.
PERCENT_TERMS: tuple[str, ...] = ("percent", "per cent", "percentage", "percentages", "pct")

#: Model internals a candidate message must not expose (plain-language jargon list, law.md § 6).
MODEL_INTERNAL_TERMS: tuple[str, ...] = (
    "SHAP", "SHAP value", "logit", "logits", "feature vector", "feature vectors", "embedding",
    "embeddings", "coefficient", "coefficients", "weights", "feature importance",
    "feature importances", "confidence score", "softmax", "regression output",
)  # fmt: skip

# --- MSG-009: template residue ---------------------------------------------------------------

#: Matched literally anywhere.
RESIDUE_LITERALS: tuple[str, ...] = ("{{", "}}", "${", "[object Object]")
#: Matched case-sensitively on word boundaries, so the English word "none" is fine.
RESIDUE_WORDS: tuple[str, ...] = ("None", "null", "undefined", "NaN")

# --- MSG-013: unsupported claims -------------------------------------------------------------

UNSUPPORTED_CLAIM_PATTERNS: tuple[str, ...] = (
    r"bias[\s-]*free",
    r"free\s+(?:of|from)\s+(?:all\s+|any\s+)?bias",
    r"unbiased",
    r"guaranteed?\s+(?:to\s+be\s+)?fair(?:ness)?",
    r"guarantees?\s+fairness",
    r"(?:approved|certified|endorsed)\s+by\s+(?:the\s+)?(?:NYC|New\s+York\s+City|City\s+of\s+New\s+York|city)",
    r"(?:NYC|city)[\s-]+(?:approved|certified|endorsed)",
    r"100\s*%\s*fair",
    r"(?:completely|totally|entirely|perfectly|100\s+percent)\s+fair",
)  # fmt: skip

# --- MSG-011: plain outcome and review --------------------------------------------------------

REJECTION_OUTCOME_PATTERNS: tuple[str, ...] = (
    r"not\s+(?:be\s+)?mov(?:e|ing)\s+forward",
    r"(?:won['’]t|will\s+not|are\s+not|aren['’]t)\s+(?:be\s+)?(?:moving|move|proceeding|proceed|going)\s+forward",
    r"not\s+(?:been\s+)?selected",
    r"decided\s+not\s+to",
    r"unsuccessful",
    r"not\s+be\s+offered",
    r"(?:not|unable)\s+(?:be\s+)?able\s+to\s+offer",
    r"unable\s+to\s+offer",
    r"rejected",
    r"not\s+(?:to\s+)?proceed",
    r"not\s+(?:to\s+)?advance",
    r"will\s+not\s+be\s+(?:hiring|offering|advancing)",
)  # fmt: skip

#: A sentence about human review must contain one of these and one of the request verbs.
REVIEW_WORDS_RE = re.compile(r"\b(?:review|reviewed|reconsider\w*|appeal\w*)\b", re.IGNORECASE)
REQUEST_VERBS_RE = re.compile(
    r"\b(?:ask|asking|request\w*|contact|email|e-mail|call|write|reach|reply|visit|apply|submit)\b",
    re.IGNORECASE,
)

# --- MSG-003 / MSG-004 / MSG-005: notice elements --------------------------------------------

ACCOMMODATION_RE = re.compile(
    r"\b(?:alternative|alternate|different|other)\s+(?:selection\s+)?process(?:es)?\b"
    r"|\baccommodat\w*",
    re.IGNORECASE,
)
DATA_SUBJECT_RE = re.compile(r"\b(?:data|information|personal\s+details)\b", re.IGNORECASE)
DATA_TYPE_RE = re.compile(r"\b(?:types?|kinds?|categor(?:y|ies)|collect\w*|gather\w*)\b", re.IGNORECASE)
DATA_SOURCE_RE = re.compile(
    r"\bsources?\b|\bfrom\s+(?:you|your)\b"
    r"|\b(?:get|gets|got|obtain\w*|receiv\w*|collect\w*|comes?|came|provided|gather\w*)\b[^.!?\n]{0,60}\bfrom\b",
    re.IGNORECASE,
)
DATA_RETENTION_RE = re.compile(
    r"\bretain\w*|\bretention\b|\b(?:keep|keeps|kept|store|stores|stored|hold|holds|held)\b[^.!?\n]{0,60}\bfor\b"
    r"|\bdelet\w*",
    re.IGNORECASE,
)
PRIVACY_TOPIC_RE = re.compile(r"\b(?:data|privacy|retention|retain\w*|personal\s+information)\b", re.IGNORECASE)
AUDIT_TOPIC_RE = re.compile(r"\bbias[\s-]+audit|\baudit(?:s|ed|or|ors)?\b", re.IGNORECASE)

# --- MSG-001 / MSG-012 ---------------------------------------------------------------------------

AEDT_PHRASE_RE = re.compile(r"\bautomated\s+employment\s+decision\s+tools?\b", re.IGNORECASE)
AEDT_ACRONYM_RE = re.compile(r"\bAEDTs?\b", re.IGNORECASE)
SECOND_PERSON_RE = re.compile(r"\byou(?:rs?|rself)?\b", re.IGNORECASE)
GENERIC_SUBJECT_RE = re.compile(r"\b(?:position|role|job|application)s?\b", re.IGNORECASE)


def protected_factor_terms(name: str) -> list[str]:
    """The protected characteristics a snake_case factor name refers to ([] when none).

    Terms come back as prose ("date of birth", "age") so callers can look for them in text.
    """
    tokens = [t for t in re.split(r"[^a-z0-9]+", name.lower()) if t]
    found: list[str] = []
    for sequence in PROTECTED_FACTOR_SEQUENCES:
        size = len(sequence)
        if any(tuple(tokens[i : i + size]) == sequence for i in range(len(tokens) - size + 1)):
            found.append(" ".join(sequence))
    for token in tokens:
        if token in PROTECTED_FACTOR_TOKENS and not any(token in term.split() for term in found):
            found.append(token)
    return found
