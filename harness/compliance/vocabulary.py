"""Term lists the rules match against, kept apart from the matching code so they can be reviewed.

Protected characteristics follow NYC Admin. Code § 8-107 (the NYC Human Rights Law, which
added height and weight in 2023) and Illinois HB 3773's ban on ZIP codes as a proxy
(docs/sources.md#automated-decisions). Everything else here is suite policy.
"""

from __future__ import annotations

import re

# --- MSG-007: protected characteristics named in message text --------------------------------

#: Phrases naming a protected characteristic in prose; matched case-insensitively on word
#: boundaries, so "manager", "engage", "average", "stage", "page" and "sexton" never match.
#: "weight" alone is left out: "the weight of a factor" is a model internal (MSG-006); a person's
#: weight is caught by PROTECTED_PARAPHRASES ("your weight", "overweight").
PROTECTED_TEXT_TERMS: tuple[str, ...] = (
    "race", "races", "racial", "ethnicity", "ethnicities", "ethnic", "color", "colour",
    "skin colour", "sex", "gender", "genders", "gender identity", "gender expression",
    "age", "ages", "disability", "disabilities", "religion", "religions", "religious",
    "creed", "national origin", "nationality", "citizenship", "citizenship status",
    "alienage", "immigration status", "marital status", "partnership status", "pregnancy",
    "pregnant", "sexual orientation", "veteran status", "military status", "status as a veteran",
    "genetic information", "genetic", "caregiver status", "height",
    "date of birth", "birth date", "birthdate", "year of birth", "birth year",
    "zip code", "zip codes", "zip", "zipcode", "postal code", "postcode",
    # NYC Human Rights Law (Admin. Code § 8-107) also protects these in hiring:
    "arrest record", "conviction record", "criminal record", "criminal history", "credit history",
    "credit check", "credit report", "credit score", "salary history", "unemployment status",
)  # fmt: skip

#: Terms that law and practice expect next to an accommodation offer ("if you have a
#: disability, you can ask for a reasonable accommodation"): there they describe a right,
#: not a reason for the decision, so MSG-007 does not report them in such a sentence.
ACCOMMODATION_CONTEXT_TERMS: frozenset[str] = frozenset({
    "disability", "disabilities", "pregnancy", "pregnant", "childbirth", "lactation",
    "religion", "religious", "religious observance", "religious practice", "medical condition",
    "health condition",
})  # fmt: skip

#: Protected characteristics named without their usual word: a paraphrase ("over fifty", "your
#: accent", "where you were born") names the characteristic as plainly as the word does. Each is a
#: regular expression matched case-insensitively on word boundaries; none matches an ordinary word
#: that merely contains it ("older than two years" is about records, "over fifty applicants" is a
#: count, so both are left alone).
_AGE_NUMBER = (
    r"(?:\d{2}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty)(?:[\s-](?:one|two|three|four|five|six"
    r"|seven|eight|nine))?)"
)
PROTECTED_PARAPHRASES: tuple[str, ...] = (
    # age
    rf"(?:over|under|past|above|below|older\s+than|younger\s+than)\s+(?:the\s+age\s+of\s+)?{_AGE_NUMBER}"
    r"(?=\s*(?:years?\s+(?:old|of\s+age)|[.,;:!?)]|$)|\s+(?:and|or|but|so)\b)",
    rf"{_AGE_NUMBER}[\s-]+years?[\s-]+old", r"in\s+your\s+(?:twenties|thirties|forties|fifties"
    r"|sixties|seventies)", r"(?:too|so|rather)\s+(?:old|young)",
    r"(?:older|younger|young)(?:,?\s+\w+)?\s+(?:candidates?|applicants?|workers?|workforce|people|persons?"
    r"|employees?|team|talent|staff|crowd|culture)",
    r"your\s+generation", r"close\s+to\s+retirement", r"retirement\s+age",
    # national origin, ethnicity, race and colour
    r"(?:your|an?|foreign|heavy|strong|thick)\s+accents?", r"where\s+you\s+(?:were\s+born|grew\s+up|are\s+from"
    r"|come\s+from)", r"(?:you\s+were\s+)?born\s+(?:in|outside|abroad)", r"(?:your\s+)?(?:home|native)\s+country",
    r"country\s+(?:you\s+(?:come|are)\s+from|of\s+(?:birth|origin))", r"native\s+(?:\w+\s+)?speakers?",
    r"(?:native|first)\s+language", r"mother\s+tongue", r"foreign[\s-]+born", r"your\s+(?:heritage|ancestry)",
    r"immigrants?", r"your\s+(?:skin|complexion|hair\s+texture)", r"skin\s+(?:tone|colou?r)",
    r"hispanic|latin[oax]|asian|african[\s-]american|caucasian|arab|indigenous|native\s+american",
    r"christian|muslim|jewish|catholic|hindu|buddhist|sikh",
    # sex, gender, pregnancy, family
    r"as\s+an?\s+(?:woman|man|mother|father|mom|dad)", r"women|woman|female|male|transgender",
    r"your\s+pronouns", r"maternity|paternity", r"motherhood|fatherhood",
    r"(?:your|having|have)\s+(?:young\s+)?(?:children|kids|a\s+baby)",
    r"child\s*care\s+(?:needs|duties|responsibilities|arrangements)",
    r"family\s+(?:plans|planning|status|situation|responsibilities)", r"(?:your|a)\s+(?:spouse|husband|wife)",
    r"married|divorced|widowed", r"caring\s+for\s+(?:a|your)\s+(?:relative|parent|child|family)",
    # sexual orientation
    r"gay|lesbian|bisexual|queer|lgbtq?\+?",
    # religion
    r"your\s+(?:faith|church|mosque|synagogue|temple)", r"hijab|headscarf|turban|yarmulke|sabbath",
    # disability and health
    r"wheelchair|handicap(?:ped)?", r"(?:you\s+are|being|your)\s+(?:blind|deaf|blindness|deafness|hearing|eyesight)",
    r"(?:medical|health|mental\s+health)\s+(?:condition|history|issues?|problems?)",
    r"your\s+(?:illness|diagnosis|impairment)", r"chronic\s+(?:illness|condition|pain)",
    # height and weight (NYC Human Rights Law since 2023)
    r"your\s+(?:body\s+)?weight", r"body\s+weight", r"overweight|underweight|obes(?:e|ity)",
    # military status
    r"military\s+service", r"your\s+veteran",
)  # fmt: skip

#: A sentence that names protected characteristics to say they play no part (an equal-opportunity
#: statement) names no reason. It must not also link them to the decision ("because", "due to").
NON_DISCRIMINATION_RE = re.compile(
    r"\b(?:without\s+regard\s+to|regardless\s+of|equal\s+(?:employment\s+)?opportunity"
    r"|(?:do|does|did|will)\s+not\s+discriminate|never\s+discriminate|not\s+discriminat\w*)\b",
    re.IGNORECASE,
)
REASON_LINK_RE = re.compile(
    r"\b(?:because|due\s+to|owing\s+to|reasons?|as\s+a\s+result|since|led\s+to)\b", re.IGNORECASE
)

#: Terms of PROTECTED_TEXT_TERMS that name a ZIP code (MSG-007's own clause, "zip-code").
ZIP_TERMS: frozenset[str] = frozenset({"zip code", "zip codes", "zip", "zipcode", "postal code", "postcode"})

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
    "shap", "logit", "logits", "embedding", "embeddings", "vector", "coefficient", "coefficients", "coef",
    "weights", "softmax",
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
    "cognitive": ("thinking", "reasoning"),
}

#: Words that say what kind of thing was measured, or how it was judged, but not which quality:
#: "communication_skills" is named by "communication" ("skills" alone would name any skills
#: factor), and "insufficient_experience" by "experience". A factor with a more specific token
#: must be named by one; a factor made of these words only ("skills_assessment") by any of them.
FACTOR_HEAD_TOKENS: frozenset[str] = frozenset({
    "skills", "skill", "experience", "ability", "abilities", "knowledge", "proficiency", "test",
    "tests", "assessment", "exam", "fit", "match", "check", "history", "record", "performance",
    "background", "quality", "strength",
    # judgements, as ATS rejection reasons spell them ("insufficient_experience", "too_junior")
    "insufficient", "sufficient", "inadequate", "adequate", "lacking", "lack", "low", "high", "poor",
    "strong", "weak", "good", "bad", "not", "no", "enough", "too", "more", "less", "limited",
    "missing", "better", "worse", "relevant", "overall", "general",
})  # fmt: skip

# --- MSG-002 traceable and MSG-011 reasons: qualifications named in prose ---------------------

#: Qualities a message may say it assessed. Each is matched as a whole word (its plural too) in a
#: sentence that says what was assessed or why, and must trace, by stem, to a decision factor's
#: words or to a word of its family below. Head words ("skills", "experience") are left out: they
#: qualify a quality rather than name one.
QUALIFICATION_TERMS: tuple[str, ...] = (
    "leadership", "management", "managerial", "supervisory", "supervision", "education", "degree",
    "diploma", "academic", "gpa", "certification", "certificate", "license", "licence", "licensing",
    "credential", "communication", "teamwork", "collaboration", "python", "java", "javascript", "sql",
    "excel", "spreadsheet", "coding", "programming", "typing", "editing", "language", "bilingual",
    "fluency", "spanish", "french", "mandarin", "cantonese", "sales", "customer", "portfolio",
    "references", "availability", "driving", "personality", "cognitive", "analytical", "math",
    "mathematics", "accounting", "bookkeeping", "design", "negotiation", "presentation", "creativity",
    "punctuality", "attendance", "nursing", "clinical", "teaching", "marketing", "budgeting", "forklift",
    "welding", "cooking", "culinary", "safety", "troubleshooting", "hvac", "technical", "project",
    "research", "writing",
    # soft qualities a screening tool is often said to judge
    "culture", "cultural", "attitude", "motivation", "enthusiasm", "professionalism", "demeanor",
    "demeanour", "passion", "initiative", "reliability", "adaptability", "integrity",
)  # fmt: skip

#: Words that name the same quality, so a message may use any of them for a factor named by another.
QUALIFICATION_FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({"education", "degree", "diploma", "academic", "gpa", "grades"}),
    frozenset({"certification", "certificate", "certified", "license", "licence", "licensing", "credential"}),
    frozenset({"management", "managerial", "manager", "supervisory", "supervision"}),
    frozenset({"language", "bilingual", "fluency", "fluent"}),
    frozenset({"coding", "programming", "code", "software"}),
    frozenset({"teamwork", "collaboration"}),
    frozenset({"math", "mathematics", "numeracy"}),
    frozenset({"cognitive", "thinking", "reasoning"}),
    frozenset({"cooking", "culinary", "kitchen"}),
    frozenset({"culture", "cultural"}),
    frozenset({"demeanor", "demeanour"}),
)

#: Nouns of an organisation: a quality word right before one names a team or a role ("our sales
#: team", "the technical department"), not a quality of the candidate.
ORGANISATION_NOUNS: frozenset[str] = frozenset({
    "team", "teams", "department", "departments", "dept", "group", "division", "unit", "office", "site",
    "function", "role", "roles", "job", "jobs", "position", "positions", "opening", "openings", "vacancy",
    "manager", "managers", "director", "lead", "staff", "desk", "counter", "floor", "org", "organisation",
    "organization", "page", "policy", "hiring",
})  # fmt: skip
#: Words before a quality word that make it someone else's ("our sales", "their customers").
OTHERS_DETERMINERS: frozenset[str] = frozenset({"our", "their", "its", "his", "her"})

#: Qualities that are written capitalised (languages, tools): elsewhere a capitalised word in
#: mid-sentence is part of a name (a job title, a team, a company) rather than a quality assessed.
ALWAYS_CAPITALISED: frozenset[str] = frozenset({
    "python", "java", "javascript", "sql", "excel", "spanish", "french", "mandarin", "cantonese",
    "hvac", "gpa",
})  # fmt: skip

#: A sentence that says what was assessed.
ASSESSMENT_CUE_RE = re.compile(
    r"\b(?:assess\w*|evaluat\w*|look(?:ed|s|ing)?\s+(?:at|for)|consider\w*|review(?:ed|s|ing)?|measur\w*"
    r"|check(?:ed|s|ing)?|weigh(?:ed|s)?|judg\w*|compar\w*|focus\w*\s+on|examin\w*|analy[sz]\w*|tested"
    r"|rated|scored|based\s+on|took\s+into\s+account|cover(?:ed|s)?)\b",
    re.IGNORECASE,
)

#: A sentence that gives a reason for the decision (or, led by "that" or "those", points back to
#: the sentence before it for one).
REASON_CUE_RE = re.compile(
    r"\b(?:because|reasons?|why|due\s+to|owing\s+to|as\s+a\s+result|led\s+(?:to|us)|drove|driven\s+by"
    r"|came\s+down\s+to|(?:main|biggest|key|deciding|decisive|largest|most\s+important|major|principal|chief"
    r"|primary)\s+(?:factors?|things?|issues?|concerns?|gaps?|points?)|(?:was|were)\s+also\s+a\s+factor"
    r"|held\s+(?:\w+\s+){0,3}back|f[ea]ll(?:s)?\s+short|short\s+of|(?:did|does|do)\s+not\s+(?:meet|match|show"
    r"|have|include|reach)|(?:didn|doesn|don)['’]t\s+(?:meet|match|show|have|include|reach)"
    r"|(?:have|has|had)\s+not\s+(?:yet\s+)?(?:passed|met|shown|completed|reached)|not\s+enough|insufficient"
    r"|lack\w*|missing|limited|below\s+what|less\s+(?:\w+\s+){0,3}than|more\s+(?:\w+\s+){0,3}than|fewer"
    r"|stronger|weaker|closer|better\s+(?:\w+\s+){0,2}than|which\s+is\s+why"
    r"|so\s+we\s+(?:could|can|did|do|will|would|are)\s*(?:not|n['’]t)|(?:not|n['’]t)\s+as\s+\w+\s+as"
    r"|(?:look(?:ed|ing)?|search\w*|need\w*|want\w*)\s+(?:for\s+)?(?:someone|a\s+candidate|candidates|people|applicants)"
    r"\s+(?:with|who)|(?:mainly|mostly|largely|chiefly|primarily)\s+"
    r"(?:on|because|due)|decision\s+(?:was|is)\s+(?:\w+ly\s+)?based\s+on)\b",
    re.IGNORECASE,
)
#: A sentence opening that refers back to the previous sentence ("That was the main reason", "So we
#: could not ...").
BACK_REFERENCE_RE = re.compile(
    r"^\W*(?:that|this|these|those|both|it|so|therefore|thus|hence|as\s+a\s+result|for\s+(?:this|that)\s+reason)\b",
    re.IGNORECASE,
)
#: A sentence this short that gives a reason only announces it ("Here is why."): the reason is in
#: the sentence after it.
LEAD_IN_MAX_WORDS = 4

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

#: Model internals a candidate message must not expose (docs/sources.md#automated-decisions).
MODEL_INTERNAL_TERMS: tuple[str, ...] = (
    "SHAP", "SHAP value", "logit", "logits", "feature vector", "feature vectors", "embedding",
    "embeddings", "coefficient", "coefficients", "weights", "weighting", "weightings",
    "feature importance", "feature importances", "confidence score", "softmax", "regression output",
)  # fmt: skip

#: A threshold named in words, with or without its number: the line a result had to cross. A
#: cut-off for applications ("the cut-off date") is a deadline, not a threshold.
_NOT_A_DEADLINE = r"(?!\s*(?:dates?|times?|days?|deadlines?|for\s+(?:applications|applying)))"
THRESHOLD_PATTERNS: tuple[str, ...] = (
    rf"thresholds?{_NOT_A_DEADLINE}", rf"cutoffs?{_NOT_A_DEADLINE}",
    rf"(?:the|our|a|this|that|its|your)\s+cut[\s-]offs?{_NOT_A_DEADLINE}",
    r"cut[\s-]off\s+(?:scores?|points?|marks?|lines?)", r"pass(?:ing)?\s+(?:marks?|lines?|thresholds?|bars?)",
    r"minimum\s+(?:passing\s+)?(?:scores?|marks?|ratings?)", r"benchmark\s+scores?",
)  # fmt: skip

#: A weight in words: the share of the decision a factor carried ("half of the decision"), or the
#: model's confidence in a result.
WEIGHT_SHARE_PATTERNS: tuple[str, ...] = (
    r"(?:half|(?:a|one|two)\s+thirds?|(?:a|one|three)\s+quarters?|(?:a|one)\s+(?:fifth|tenth))\s+of\s+(?:the|our"
    r"|this|your)\s+(?:decision|result|score|assessment|evaluation|outcome|rating)",
    r"(?:tool|model|system|algorithm)['’]s\s+confidence", r"confidence\s+(?:level|score|rating|value)s?",
)  # fmt: skip

#: A score, rating, rank or percentile of the candidate's, stated without any number: "your
#: assessment score was low" discloses a score as much as "you scored 61" does. Matched
#: case-insensitively on word boundaries. A sentence about scores in general ("the tool scores
#: applications") discloses none of the candidate's and is left alone.
_SCORE_NOUN = r"(?:scores?|ratings?|rankings?|ranks?|percentiles?)"
SCORE_MENTION_PATTERNS: tuple[str, ...] = (
    rf"your\s+(?:\w+\s+){{0,3}}?{_SCORE_NOUN}",
    r"you\s+(?:were\s+|was\s+)?(?:scored|rated|ranked)", r"(?:scored|rated|ranked)\s+(?:you|your)",
    rf"an?\s+(?:(?:very|fairly|rather|relatively)\s+)?(?:low|high|poor|weak|strong|lower|higher|top|bottom|failing"
    rf"|passing|below[\s-]average|above[\s-]average|average)\s+(?:{_SCORE_NOUN}|marks?|grades?)",
    r"(?:top|bottom|lower|upper)\s+(?:half|third|quarter|quartile|decile|tier|fifth|tenth)",
    r"percentiles?",
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
    r"not\s+(?:be\s+)?mov(?:e|ing)\s+(?:you\s+|your\s+application\s+)?(?:forward|ahead)",
    r"(?:won['’]t|will\s+not|are\s+not|aren['’]t)\s+(?:be\s+)?(?:moving|going)\s+ahead",
    r"(?:chose|chosen|choose|selected|select|picked|pick|decided\s+on|go|gone|going|went|hired|hire|pursu\w+"
    r"|mov\w+\s+(?:forward|ahead|on)|proceed\w*)\s+(?:with\s+)?(?:another|other|some\s+other|the\s+other)\s+"
    r"(?:candidates?|applicants?|people|persons?)",
    r"(?:taking|take)\s+your\s+application\s+(?:\w+\s+){0,4}further",
    r"(?:can\s*not|can['’]t)\s+offer\s+you",
    r"not\s+(?:be\s+)?(?:considered|progress\w*)\s+(?:any\s+)?further",
    r"(?:offer(?:ed|ing)?|give|given|gave)\s+the\s+(?:[\w-]+\s+){0,4}?(?:role|job|position)\s+to\s+"
    r"(?:someone\s+else|another|other)",
    r"not\s+(?:been\s+)?successful",
    r"declin(?:e|ed|ing)\s+your\s+application",
    r"no\s+longer\s+(?:being\s+)?considered",
    r"(?:won['’]t|will\s+not)\s+be\s+(?:offering|extending|hiring|progressing|continuing|advancing)",
    r"not\s+(?:able|going)\s+to\s+offer",
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
REVIEW_WORDS_RE = re.compile(
    r"\b(?:review|reviewed|reconsider\w*|appeal\w*|re-?(?:examine|assess|evaluate)\w*|(?:second|another|fresh)\s+look"
    r"|look(?:ed|s|ing)?\s+(?:at\s+(?:\w+\s+){0,3})?again|challenge\s+(?:this|the|our)\s+decision)\b",
    re.IGNORECASE,
)
REQUEST_VERBS_RE = re.compile(
    r"\b(?:ask|asking|request\w*|contact|email|e-mail|call|phone|text|write|reach|reply|visit|apply|submit"
    r"|fill|complete|use|send|tell|let\s+us\s+know|get\s+in\s+touch)\b",
    re.IGNORECASE,
)
#: Replying to the message itself is a way to ask, with no address to give.
REPLY_ROUTE_RE = re.compile(r"\breply\s+to\s+this\s+(?:e-?mail|message|letter)\b", re.IGNORECASE)
#: A sentence that points at a contact given elsewhere in the message ("the same number").
CONTACT_REFERENCE_RE = re.compile(
    r"\b(?:the\s+same\s+(?:e-?mail(?:\s+address)?|address|phone(?:\s+number)?|number|link|form|contact)"
    r"|(?:the\s+)?(?:contact\s+details|address(?:es)?|number|link)\s+(?:below|above))\b",
    re.IGNORECASE,
)

# --- MSG-003 / MSG-004 / MSG-005: notice elements --------------------------------------------

ACCOMMODATION_RE = re.compile(
    r"\b(?:alternative|alternate|different|another|other)\s+(?:selection\s+)?process(?:es)?\b"
    r"|\b(?:alternative|alternate|different|another|other)\s+(?:way|means|method|format)s?\s+(?:to|of)\s+"
    r"(?:apply|be\s+assessed|be\s+evaluated|be\s+tested|assess|assessment|applying)\b"
    r"|\b(?:assess|evaluate|test)\s+you\s+(?:in\s+)?(?:another|a\s+different|an\s+alternative)\s+way\b"
    r"|\baccommodat\w*",
    re.IGNORECASE,
)
#: A sentence about the data the tool used (MSG-004): it names data, privacy or retention, says
#: what was collected, or opens a statement of what the tool used ("The tool used: ...").
DATA_TOPIC_RE = re.compile(
    r"\b(?:data|information|personal\s+details|privacy|collect\w*|gather\w*)\b"
    r"|\bused\s*(?::|\b(?:your|the|these|this|what|only|both)\b)",
    re.IGNORECASE,
)
#: The kinds of data a hiring tool uses, named as such: naming them states the type of data.
DATA_ITEM_RE = re.compile(
    r"\b(?:r[eé]sum[eé]s?|cvs?|cover\s+letters?|application\s+(?:forms?|answers|materials)|answers|responses"
    r"|interview\s+notes|(?:work|job|employment|education)\s+history|driving\s+records?|records?|transcripts?"
    r"|portfolios?|writing\s+samples?|references|profiles?|recordings?|videos?|certificates?"
    r"|license\s+details|what\s+you\s+told\s+us|details\s+you)\b",
    re.IGNORECASE,
)
DATA_TYPE_RE = re.compile(r"\b(?:types?|kinds?|categor(?:y|ies)|collect\w*|gather\w*)\b", re.IGNORECASE)
DATA_SOURCE_RE = re.compile(
    r"\bsources?\b|\bfrom\s+(?:you|your)\b"
    r"|\b(?:get|gets|got|obtain\w*|receiv\w*|collect\w*|comes?|came|provided|gather\w*)\b[^.!?\n]{0,60}\bfrom\b"
    r"|\b(?:you|the\s+(?:candidate|applicant))\s+(?:gave|give|gives|provided|provides?|submitted|submits?|sent|sends?"
    r"|shared|shares?|entered|enters?|typed|filled|told|uploaded|uploads?)\b|\b(?:provided|supplied|given|sent)\s+by\b"
    r"|\bthrough\s+our\s+(?:job\s+board|careers?\s+(?:site|page|website)|website|(?:application|online)\s+form)\b"
    r"|\bfrom\s+(?:the|our|a|an|their)\s+(?!(?:date|day|time|moment|start|end|point|first|last)\b)\w+",
    re.IGNORECASE,
)
_DURATION = r"(?:years?|months?|weeks?|days?)"
DATA_RETENTION_RE = re.compile(
    r"\b(?:retain\w*|retention|delet\w*|eras\w*|destroy\w*|purg\w*|dispos\w*)"
    r"|\b(?:keep|keeps|kept|store|stores|stored|(?<!on\s)hold|holds|held|save|saves|saved)\b[^.!?\n]{0,100}?"
    rf"(?:\b{_DURATION}\b|\buntil\b|\bwhile\b|\bas\s+long\s+as\b)"
    r"|\bhow\s+long\s+we\s+(?:keep|store|hold)\b",
    re.IGNORECASE,
)
PRIVACY_TOPIC_RE = re.compile(r"\b(?:data|privacy|retention|retain\w*|personal\s+information)\b", re.IGNORECASE)
#: A link whose address names the data policy is a link to it, wherever it sits.
PRIVACY_URL_RE = re.compile(
    r"privacy|data[-_]?(?:policy|protection|notice|use)|/data/?$|retention|personal[-_]?(?:data|information)",
    re.IGNORECASE,
)
AUDIT_TOPIC_RE = re.compile(r"\bbias[\s-]+audit|\baudit(?:s|ed|or|ors)?\b", re.IGNORECASE)

# --- MSG-001 / MSG-012 ---------------------------------------------------------------------------

AEDT_PHRASE_RE = re.compile(r"\bautomated\s+employment\s+decision\s+tools?\b", re.IGNORECASE)
AEDT_ACRONYM_RE = re.compile(r"\bAEDTs?\b", re.IGNORECASE)
SECOND_PERSON_RE = re.compile(r"\byou(?:rs?|rself)?\b", re.IGNORECASE)
GENERIC_SUBJECT_RE = re.compile(r"\b(?:position|role|job|application)s?\b", re.IGNORECASE)

# --- MSG-010: the employer and the position, as the message itself presents them -------------

#: Capitalised words that open or decorate a subject line without naming anyone.
SUBJECT_STOP_WORDS: frozenset[str] = frozenset({
    "a", "an", "the", "your", "our", "re", "fwd", "fw", "update", "updates", "application", "applications",
    "next", "step", "steps", "news", "good", "great", "offer", "welcome", "about", "regarding", "decision",
    "thank", "thanks", "you", "on", "for", "to", "at", "from", "with", "of", "and", "interview", "invitation",
    "important", "status", "short", "quick", "note", "hello", "hi", "dear", "congratulations", "message",
    "role", "position", "job", "candidate", "candidacy", "hiring", "team",
})  # fmt: skip

#: How a body presents an organisation as the employer; "{name}" stands for the candidate name.
EMPLOYER_PRESENTATIONS: tuple[str, ...] = (
    r"(?:\bat|\bjoin|\bjoining|\bconsidering|\bchoosing|\b(?:apply|applying|applied|application|welcome|interest"
    r"|career|careers|job|role|position|work|working|future)\s+(?:\w+\s+)?(?:to|in|at|with|for))\s+(?:the\s+)?"
    r"{name}(?![\w-])",
    r"{name}(?:['’]s)?\s+(?:hiring|recruiting|recruitment|talent|people|careers?|jobs|hr|human\s+resources"
    r"|staffing)\b",
    r"\bthe\s+{name}\s+(?:\w+\s+)?team\b",
    r"{name}\s+is\s+an?\s+(?:\w+\s+){0,3}employer\b",
    r"\b(?:recruit\w*|talent\s+\w+|hiring\s+manager|hr\s+\w+|people\s+\w+|coordinator|manager)\s*(?:,|\bat\b|\||-|—)"
    r"\s*{name}(?![\w-])",
)
#: How a body presents a phrase as the position applied for.
POSITION_PRESENTATIONS: tuple[str, ...] = (
    r"\bthe\s+{name}\s+(?:role|position|job|opening|vacancy|post)\b",
    r"\b(?:role|position|job|post)\s+of\s+{name}(?![\w-])",
    r"\b(?:as\s+(?:a|an|our)|for)\s+{name}(?![\w-])",
    r"\byour\s+{name}\s+application\b",
)


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
