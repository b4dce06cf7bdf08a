"""Decision-factor names in plain words, and the protected-characteristic test.

The candidate message must name each assessed qualification in plain words that a reader (and a
checker) can trace back to a recorded factor (contract MSG-002; NYC Admin. Code § 20-871(b)(2)),
and must never name a protected characteristic or a ZIP code (MSG-007, MEMO-005). Factor names are
free-form snake_case, so both questions are answered by looking at the name's tokens.

Tracing works on words: every phrase contains at least one *meaningful* token of its factor name
(a token that is not a generic scoring word and has no digit), or a standard expansion of it, and
when the name has a token that says what was assessed (not a connector or a unit such as "of" or
"years"), the phrase contains one of those.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Words that describe how a value was measured rather than what was assessed; they say nothing to a
# candidate, and several ("score", "weight", "logit") are model internals MSG-006 keeps out. They
# are dropped from phrases ("weight" is also a protected characteristic in NYC since 2023).
GENERIC_TOKENS = frozenset(
    {
        "score", "scores", "rating", "ratings", "value", "num", "pct", "percent", "percentage",
        "level", "total", "count", "flag", "model", "weight", "weights", "weighted", "prob",
        "probability", "logit", "logits", "shap", "embedding", "embeddings", "coefficient",
        "coefficients", "softmax", "raw", "norm", "normalized", "normalised",
    }
)  # fmt: skip

# Words kept in a phrase but, when a long name must be shortened, given up before the words that
# say what was assessed: connectors, units and measure words ("years" alone names nothing).
WEAK_TOKENS = frozenset(
    {
        "years", "year", "yrs", "yr", "months", "month", "days", "hours", "status", "is", "has",
        "of", "the", "in", "on", "for", "to", "a", "an", "with", "per", "by", "at", "from", "vs",
        "and", "or", "any", "all", "other", "misc", "rank", "ranking", "index", "idx", "metric",
        "feature", "feat", "factor", "input", "bool", "binary", "indicator", "ind", "pred",
        "prediction", "result", "tier", "band", "bucket", "pts", "points", "avg", "average", "mean",
        "min", "max", "sum", "adj", "adjusted", "val", "nb", "number", "lvl", "cnt", "rate", "scored",
        "scoring", "rejection", "reason", "unspecified",
    }
)  # fmt: skip

# Word pairs that name model internals (MSG-006) although each word alone is ordinary.
INTERNAL_SEQUENCES = (
    "feature_vector", "feature_vectors", "feature_importance", "feature_importances", "regression_output",
)  # fmt: skip

# Factor words that read as template residue in lower case (MSG-009 looks for "null" and
# "undefined" as words); written capitalised they are plainly a name.
_RESIDUE_LOOKALIKES = {"null": "Null", "undefined": "Undefined"}

# Abbreviations a reader would not recognise, spelled out; a phrase may use the expansion in place
# of the token, and tracing accepts either.
EXPANSIONS = {
    "exp": "experience",
    "yoe": "experience",
    "tech": "technical",
    "edu": "education",
    "cert": "certification",
    "comm": "communication",
    "mgmt": "management",
}

# Protected characteristics under Title VII, the NYC Human Rights Law (Admin. Code § 8-107) and the
# Illinois ZIP-code proxy ban (docs/sources.md#automated-decisions), matched as whole snake_case tokens so that
# "manager_rating" or "page_count" never count.
PROTECTED_TOKENS = frozenset(
    {
        "age", "ages", "agegroup", "agerange", "agebracket", "old", "older", "young", "younger",
        "elderly", "dob", "birth", "birthday", "birthdate", "birthyear", "birthplace", "dateofbirth",
        "yearofbirth", "gender", "genders", "sex", "sexes", "sexual", "male", "female", "woman",
        "women", "pronoun", "pronouns", "transgender", "lgbt", "lgbtq", "race", "races", "racial",
        "ethnicity", "ethnicities", "ethnic", "religion", "religions", "religious", "creed", "color",
        "colour", "disability", "disabilities", "disabled", "handicap", "handicapped", "pregnancy",
        "pregnant", "maternity", "nationality", "citizenship", "citizen", "immigration", "alienage",
        "marital", "married", "veteran", "veterans", "caregiver", "genetic", "genetics", "height",
        "bmi", "zip", "zipcode", "zipcodes", "postcode", "postalcode", "ancestry", "hispanic", "latino",
        "latina", "latinx", "asian", "african", "caucasian", "christian", "muslim", "jewish", "catholic",
        "hindu", "buddhist", "sikh", "gay", "lesbian", "bisexual", "queer", "immigrant",
    }
)  # fmt: skip

PROTECTED_SEQUENCES = (
    "date_of_birth", "year_of_birth", "place_of_birth", "country_of_birth", "country_of_origin",
    "national_origin", "postal_code", "post_code", "sexual_orientation", "gender_identity",
    "partnership_status", "military_status", "uniformed_service", "arrest_record", "conviction_record",
    "criminal_record", "criminal_history", "credit_history", "credit_check", "credit_report",
    "credit_score", "salary_history", "unemployment_status", "body_weight", "domestic_violence",
    "reproductive_health",
)  # fmt: skip

# Common factors in plain words, keyed by their meaningful tokens joined with "_" (so
# "technical_score", "tech_rating" and "technical" share one entry). Each phrase contains at least
# one token of its key as a whole word.
PHRASES = {
    "years_experience": "your years of relevant work experience",
    "years_of_experience": "your years of relevant work experience",
    "experience_years": "your years of relevant work experience",
    "experience": "your relevant work experience",
    "relevant_experience": "your relevant work experience",
    "work_experience": "your work experience",
    "insufficient_experience": "your relevant work experience",
    "leadership_experience": "your leadership experience",
    "management_experience": "your management experience",
    "technical": "your technical skills",
    "technical_skills": "your technical skills",
    "skills": "your skills for this job",
    "skills_match": "how well your skills match this job",
    "skill_match": "how well your skill set matches this job",
    "keyword_match": "the keyword match between your resume and the job",
    "resume": "your resume",
    "resume_match": "how well your resume matches this job",
    "education": "your education",
    "degree": "your degree",
    "gpa": "your grade point average (GPA)",
    "certification": "your professional certification",
    "certifications": "your professional certifications",
    "license": "your professional license",
    "licenses": "your professional licenses",
    "communication": "your communication skills",
    "communication_skills": "your communication skills",
    "language_skills": "your language skills",
    "assessment": "your results on the job assessment",
    "skills_assessment": "your results on the skills assessment",
    "coding": "your coding skills",
    "coding_test": "your results on the coding test",
    "coding_assessment": "your results on the coding assessment",
    "problem_solving": "your problem solving skills",
    "leadership": "your leadership skills",
    "teamwork": "your teamwork skills",
    "cognitive_ability": "your thinking ability, as shown by a test",
    "personality": "your answers to the personality questions",
    "culture_fit": "how well you fit our team culture",
    "job_fit": "how well you fit the job",
    "role_fit": "how well you fit the role",
    "interview": "your interview performance",
    "interview_performance": "your interview performance",
    "qualifications": "your job qualifications",
    "minimum_qualifications": "whether you meet the minimum qualifications",
    "references": "your references",
    "reference_check": "your reference check",
    "background_check": "your background check",
    "portfolio": "your work portfolio",
    "writing_sample": "your writing sample",
    "typing_speed": "your typing speed",
    "availability": "your availability",
    "schedule_availability": "your schedule availability",
    "salary_expectations": "your salary expectations",
    "work_authorization": "your authorization to work",
    "application_review": "a review of your application",
    "application_completeness": "how complete your application is",
    "rejection_reason_unspecified": "your application as a whole (no specific reason was given)",
    # rejection reasons that ATSs ship by default (Greenhouse "Too Junior", Lever "Withdrew", ...)
    "too_junior": "whether your experience was too junior for this job",
    "too_senior": "whether your experience was too senior for this job",
    "underqualified": "whether you were underqualified for this job",
    "overqualified": "whether you were overqualified for this job",
    "wrong_skill_set": "whether your skill set fits this job",
    "insufficient_skills": "your skills for this job",
    "not_a_fit": "how well you fit this job",
    "better_qualified_candidate": "whether other candidates were better qualified",
    "hired_another_candidate": "whether we hired another candidate first",
    "hired_elsewhere": "whether you took a job elsewhere",
    "position_filled": "whether the position was still open",
    "position_closed": "whether the position was still open",
    "offer_declined": "whether you declined our offer",
    "withdrew": "whether you withdrew your application",
    "candidate_withdrew": "whether you withdrew your application",
    "did_not_respond": "whether you did not respond to us",
    "unresponsive": "whether you were unresponsive to us",
    "no_show": "whether you did not show up for an interview",
    "timing": "the timing of your application",
    "compensation": "your compensation expectations",
    "location": "your work location",
}

# For a name whose every token is generic (e.g. "score" or "model_v2") nothing can be traced; the
# phrase still tells the reader that something else was assessed.
UNNAMED_FACTOR_PHRASE = "another part of your application"

_MAX_PHRASE_TOKENS = 6  # keeps every list item a short sentence (MSG-012)
_SPLIT = re.compile(r"[^a-z0-9]+")
_DIGIT = re.compile(r"[0-9]")


def tokens(name: str) -> tuple[str, ...]:
    """The lowercase tokens of a snake_case name (any other separator is tolerated too)."""
    return tuple(part for part in _SPLIT.split(str(name).lower()) if part)


@lru_cache(maxsize=8192)
def is_protected(factor_name: str) -> bool:
    """Whether the factor is a protected characteristic or a ZIP code (MEMO-005, MSG-007)."""
    parts = tokens(factor_name)
    if any(part in PROTECTED_TOKENS for part in parts):
        return True
    joined = f"_{'_'.join(parts)}_"
    return any(f"_{sequence}_" in joined for sequence in PROTECTED_SEQUENCES)


@lru_cache(maxsize=8192)
def meaningful_tokens(factor_name: str) -> tuple[str, ...]:
    """The tokens a phrase may use: not generic, no digit, expanded, in order, without repeats."""
    kept: list[str] = []
    for part in tokens(factor_name):
        if part in GENERIC_TOKENS or _DIGIT.search(part):
            continue
        word = EXPANSIONS.get(part, part)
        if word not in kept:
            kept.append(word)
    return tuple(kept)


@lru_cache(maxsize=8192)
def phrase_for(factor_name: str) -> str:
    """A short plain phrase for a factor that is not protected (callers check ``is_protected``).

    The phrase is lowercase but for residue look-alikes, has no digit and no final punctuation.
    """
    words = meaningful_tokens(factor_name)
    if not words:
        return UNNAMED_FACTOR_PHRASE
    known = PHRASES.get("_".join(words))
    if known:
        return known
    if words[0] == "your" and len(words) > 1:
        words = words[1:]
    lead = "your "
    if words[0] in ("has", "have", "is", "are") and len(words) > 1:
        lead = "whether you have " if words[0] in ("has", "have") else "whether you are "
        words = words[1:]
    return lead + " ".join(_RESIDUE_LOOKALIKES.get(word, word) for word in _shortened(words))


def _shortened(words: tuple[str, ...]) -> list[str]:
    """At most six words, those that say what was assessed first, in their original order.

    Dropping words can bring two others together, so a word that would complete a protected
    phrase ("national" + "origin" from "national_v2_origin") or a model-internal one ("feature" +
    "vector") is left out as well.
    """
    strong = [i for i, word in enumerate(words) if len(word) > 1 and word not in WEAK_TOKENS]
    weak = [i for i in range(len(words)) if i not in strong]
    chosen = sorted(strong[:_MAX_PHRASE_TOKENS] + weak[: max(0, _MAX_PHRASE_TOKENS - len(strong))])
    kept: list[str] = []
    for i in chosen:
        if not _forbidden((*kept, words[i])):
            kept.append(words[i])
    return kept or [words[chosen[0]]]


def _forbidden(words: tuple[str, ...]) -> bool:
    joined = f"_{'_'.join(words)}_"
    return is_protected(joined) or any(f"_{sequence}_" in joined for sequence in INTERNAL_SEQUENCES)
