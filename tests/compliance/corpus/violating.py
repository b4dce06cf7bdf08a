"""Messages that each break one clause, subtly, and are otherwise compliant.

Most are a compliant message of compliant.py with one change (derive checks the change applies),
so any other finding is a false alarm of the rules, not a second fault of the message. The others
are written whole: where the fault is the message's whole voice (its grade, its not saying "you"),
or where a fault is easiest to see in a message of its own voice. One entry breaks two clauses
because one phrase does ("30 percent" for a weight of 0.3 is both a percentage and a factor's
number); every other entry breaks exactly one.
"""

from __future__ import annotations

from .compliant import (
    ACME,
    BRIGHTLINE,
    CIVIC,
    GREENLEAF_ADVANCE,
    GREENLEAF_REJECT,
    GREENLEAF_UNSPECIFIED,
    HALCYON,
    HARBOR,
    KESTREL,
    LUMEN,
    MEADOW,
    MERIDIAN,
    NORTHWIND,
    ORBIT,
    PINE,
    QUILL,
    RIVERSIDE,
    SEXTANT,
    SUMMIT,
    TIDEWATER,
    VERDANT,
)
from .model import CANDIDATE_ID, DECISION_EVENT_ID, Entry, derive, factor

NO_PHRASE = derive(
    ACME,
    "V01-msg001-no-phrase",
    note="an automated tool, but never the phrase",
    replace_text=[("An automated employment decision tool helped", "An automated screening system helped")],
    expect={("MSG-001", "phrase")},
)

ACRONYM_FIRST = derive(
    RIVERSIDE,
    "V02-msg001-acronym-first",
    note="the acronym is used before it is spelled out",
    replace_text=[
        ("an automated employment decision tool (AEDT) helped", "an AEDT helped"),
        ("The AEDT looked at", "The AEDT (automated employment decision tool) looked at"),
    ],
    expect={("MSG-001", "before-acronym")},
)

SNAKE_CASE = derive(
    KESTREL,
    "V03-msg002-snake-case",
    note="a factor written only in code form where the assessed qualities are listed",
    replace_text=[("review your Excel test and your", "review your excel_test and your")],
    expect={("MSG-002", "named")},
)

FACTOR_LEFT_OUT = derive(
    BRIGHTLINE,
    "V04-msg002-factor-left-out",
    note="one factor (Spanish fluency) never named, while 'skills'-like words name the others",
    replace_text=[
        (
            "your typing speed, your customer service experience and your Spanish.",
            "your typing speed and your customer service experience.",
        )
    ],
    expect={("MSG-002", "named")},
)

UNTRACED_QUALITY = derive(
    ACME,
    "V05-msg002-untraced-leadership",
    note="says it assessed leadership experience; no factor is about leadership",
    replace_text=[
        (
            "your work experience and your communication skills.",
            "your work experience, your communication skills and your leadership experience.",
        )
    ],
    expect={("MSG-002", "traceable")},
)

CULTURAL_FIT = derive(
    ACME,
    "V55-msg002-untraced-cultural-fit",
    note="says it assessed cultural fit, a quality no factor is about",
    replace_text=[
        (
            "your work experience and your communication skills.",
            "your work experience, your communication skills and your cultural fit.",
        )
    ],
    expect={("MSG-002", "traceable")},
)

NO_ACCOMMODATION = derive(
    HARBOR,
    "V06-msg003-no-accommodation",
    note="contacts are given, but no word of an accommodation or another process",
    replace_text=[("Need an accommodation, or want us to assess you in another way? Write to", "Questions? Write to")],
    expect={("MSG-003", "instructions")},
)

ACCOMMODATION_NO_CONTACT = derive(
    SEXTANT,
    "V07-msg003-accommodation-no-way-to-ask",
    note="an accommodation offered with no way to ask for it; the only address is for reviews",
    replace_text=[
        (
            "You can ask for a reasonable accommodation or a different selection process at access@sextantlabs.com.",
            "You can also ask us for a reasonable accommodation or a different selection process.",
        )
    ],
    expect={("MSG-003", "contact")},
)

NO_DATA_TYPES = derive(
    GREENLEAF_REJECT,
    "V08-msg004-no-data-types",
    note="source and retention stated, and no link, but not what kind of data",
    replace_text=[
        (
            "The tool used the information in your application form, such as your job history. You sent us this "
            "information when you applied. We keep it for two years. See "
            "https://greenleaf-logistics.com/candidate-privacy for details.",
            "The tool only used information that you gave us when you applied. We keep it for two years.",
        )
    ],
    expect={("MSG-004", "data-types")},
)

NO_DATA_SOURCE = derive(
    PINE,
    "V09-msg004-no-data-source",
    note="types and retention stated, not where the data came from",
    replace_text=[
        (
            " You gave us the form, and we got the record from the state education department.",
            "",
        )
    ],
    expect={("MSG-004", "data-source")},
)

NO_RETENTION = derive(
    BRIGHTLINE,
    "V10-msg004-no-retention",
    note="types and source stated, retention missing",
    replace_text=[(" We keep them for two years.", "")],
    expect={("MSG-004", "retention")},
)

NO_AUDIT_LINK = derive(
    ORBIT,
    "V11-msg005-no-audit-link",
    note="the audit is mentioned, its summary not linked",
    replace_text=[
        (
            "Summary of the latest bias audit: https://orbitsystems.io/hiring/audit",
            "An independent auditor checked this tool for bias this year.",
        )
    ],
    expect={("MSG-005", "audit-link")},
)

SCORE_IN_WORDS = derive(
    KESTREL,
    "V12-msg006-score-without-number",
    note="a score mentioned without any number",
    replace_text=[("Your Excel test was also a factor.", "Your Excel test score was also low.")],
    expect={("MSG-006", "scores")},
)

RANK_IN_WORDS = derive(
    QUILL,
    "V13-msg006-rank-without-number",
    note="a rank given as 'the bottom half of applicants'",
    replace_text=[
        (
            "Your editing test fell short of what the role needs, and so did your AP style knowledge.",
            "Your editing test put you in the bottom half of applicants, and your AP style knowledge fell short of "
            "what the role needs.",
        )
    ],
    expect={("MSG-006", "scores")},
)

FACTOR_VALUE = derive(
    ACME,
    "V14-msg006-factor-value",
    note="a factor's value (1 year of experience) written as a number",
    replace_text=[("the amount of work experience you have", "your 1 year of work experience")],
    expect={("MSG-006", "factor-numbers")},
)

WEIGHT_AS_PERCENT = derive(
    BRIGHTLINE,
    "V15-msg006-weight-as-percent",
    note="a weight (0.3) written as '30 percent': a percentage and a factor number at once",
    replace_text=[
        ("Those were the main reasons", "Typing speed made up 30 percent of the decision. Those were the main reasons")
    ],
    expect={("MSG-006", "scores"), ("MSG-006", "factor-numbers")},
)

THRESHOLD_IN_WORDS = derive(
    LUMEN,
    "V16-msg006-threshold-in-words",
    note="a threshold named in words, with no number",
    replace_text=[
        (
            "your portfolio, which did not include the print work this role needs.",
            "your portfolio, which fell below our cut-off.",
        )
    ],
    expect={("MSG-006", "internals")},
)

MODEL_WEIGHTS = derive(
    SUMMIT,
    "V17-msg006-model-weights",
    note="the model's weights described",
    replace_text=[
        ("Its result counted more than any other part of our review.", "The tool's weights favoured your kitchen work.")
    ],
    expect={("MSG-006", "internals")},
)

OVER_FIFTY = derive(
    ACME,
    "V18-msg007-over-fifty",
    note="age named without the word 'age'",
    replace_text=[("Both were below what this role needs right now.", "We also noted that you are over fifty.")],
    expect={("MSG-007", "protected")},
)

PREGNANCY = derive(
    HARBOR,
    "V19-msg007-pregnancy",
    note="a hold because of pregnancy",
    replace_text=[("because the store you picked has no open shifts this month.", "because of your pregnancy.")],
    expect={("MSG-007", "protected")},
)

ACCENT = derive(
    BRIGHTLINE,
    "V20-msg007-accent",
    note="national origin named through the candidate's accent",
    replace_text=[
        ("and a faster typing speed.", "and callers may find your accent hard to follow."),
    ],
    expect={("MSG-007", "protected")},
)

BIRTHPLACE = derive(
    KESTREL,
    "V21-msg007-where-born",
    note="national origin as 'where you were born'",
    replace_text=[("Your Excel test was also a factor.", "Where you were born was also a factor.")],
    expect={("MSG-007", "protected")},
)

ZIP_NUMBER = derive(
    GREENLEAF_REJECT,
    "V22-msg007-zip-number",
    note="a ZIP code given as a reason",
    replace_text=[
        ("did not match what the role needs.", "did not match what the role needs, and you live in 10469, far from us.")
    ],
    expect={("MSG-007", "zip-code")},
)

ZIP_WORD = derive(
    CIVIC,
    "V23-msg007-zip-word",
    note="a ZIP code named as assessed, with no number",
    replace_text=[("and your safety record.", "and your safety record. It also looked at your home ZIP code.")],
    expect={("MSG-007", "zip-code")},
)

RAW_ID = derive(
    HALCYON,
    "V24-msg008-raw-candidate-id",
    note="the ATS's candidate ID in the greeting",
    replace_text=[("Hello Maria,", f"Hello Maria (candidate {CANDIDATE_ID}),")],
    expect={("MSG-008", "raw-id")},
)

INTERNAL_ID = derive(
    NORTHWIND,
    "V25-msg008-internal-id",
    note="the decision event's ID (a UUID) as a reference",
    replace_text=[("to set up an interview.", f"to set up an interview (reference {DECISION_EVENT_ID}).")],
    expect={("MSG-008", "internal-ids")},
)

UNDEFINED = derive(
    SUMMIT,
    "V26-msg009-undefined",
    note="a first name that rendered as 'undefined'",
    replace_text=[("Hi Jamie,", "Hi undefined,")],
    expect={("MSG-009", "residue")},
)

EMPTY_SUBJECT = derive(CIVIC, "V27-msg010-empty-subject", subject="", expect={("MSG-010", "non-empty")})

LONG_SUBJECT = derive(
    ORBIT,
    "V28-msg010-long-subject",
    note="names the position, but runs past 120 characters",
    subject="Software Engineer II at Orbit Systems: you're through to the final round, and here is what you can "
    "expect on the day itself",
    expect={("MSG-010", "length")},
)

SUBJECT_NAMES_NOTHING = derive(
    ACME,
    "V29-msg010-subject-names-neither",
    note="the title is known and the body names the employer, the subject neither",
    subject="A quick update for you",
    expect={("MSG-010", "names")},
)

WEBHOOK_SUBJECT_NAMES_NOTHING = derive(
    GREENLEAF_ADVANCE,
    "V30-msg010-webhook-subject-names-nothing",
    note="nothing is known about the title or employer, and the subject says nothing either",
    subject="Good news!",
    expect={("MSG-010", "names")},
)

NO_OUTCOME = derive(
    SEXTANT,
    "V31-msg011-no-outcome",
    note="a rejection that never says the outcome",
    replace_text=[(" We will not be moving forward with your application.", "")],
    expect={("MSG-011", "outcome")},
)

OUTCOME_EUPHEMISM = derive(
    GREENLEAF_UNSPECIFIED,
    "V32-msg011-outcome-euphemism",
    note="'we will keep your details on file' instead of the outcome",
    replace_text=[("We will not be offering you this role.", "We will keep your details on file for future roles.")],
    expect={("MSG-011", "outcome")},
)

NO_REASON = derive(
    KESTREL,
    "V33-msg011-no-reason",
    note="a rejection listing what was assessed but giving no reason",
    replace_text=[
        (
            "We decided this mainly because your financial modeling work was less advanced than the role needs. "
            "Your Excel test was also a factor.",
            "A person on our team made the final decision.",
        )
    ],
    expect={("MSG-011", "reasons")},
)

REVIEW_NO_CONTACT = derive(
    BRIGHTLINE,
    "V34-msg011-review-no-contact",
    note="a review route with no contact",
    replace_text=[
        (
            "You can request a review by a person at https://brightline.example/review-request.",
            "You can request a review by a person.",
        )
    ],
    expect={("MSG-011", "review")},
)

NO_REVIEW = derive(
    MERIDIAN,
    "V35-msg011-no-review",
    note="no way to ask for a human review at all",
    replace_text=[
        (
            "To appeal this decision, fill in the form at https://meridian.example/careers/appeal. A person will look "
            "at your case.\n\n",
            "",
        )
    ],
    expect={("MSG-011", "review")},
)

LEADERSHIP_REASON = derive(
    SEXTANT,
    "V36-msg002-untraced-reason",
    note="a reason about leadership, which no factor records",
    replace_text=[
        (
            "The role needs someone who has managed many outside vendors.",
            "The role also needs stronger leadership than you showed.",
        )
    ],
    expect={("MSG-002", "traceable")},
)

LONG_SENTENCE = derive(
    HALCYON,
    "V37-msg012-forty-word-sentence",
    note="one sentence of forty words",
    replace_text=[
        (
            "A branch manager reviewed the result.",
            "A branch manager reviewed the result and then asked two other people at the bank to look at it as "
            "well, so that each of them could say what they thought before we wrote to you and set a day and a "
            "time for you to come in.",
        )
    ],
    expect={("MSG-012", "sentences")},
)

CLAIM = derive(
    VERDANT,
    "V38-msg013-guaranteed-fair",
    note="an unsupported fairness claim",
    replace_text=[("and your driver license.", "and your driver license. The tool is guaranteed fair.")],
    expect={("MSG-013", "claims")},
)

HARD_READING = Entry(
    id="V39-msg012-grade",
    note="short sentences of long words: grade above 8",
    subject="Your Procurement Coordinator application at Tessellate Industries",
    decision="advance",
    job_title="Procurement Coordinator",
    factors=(
        factor("supplier_negotiation_experience", "extensive", 0.6, "positive"),
        factor("inventory_forecasting", "advanced", 0.4, "positive"),
    ),
    audit_url="https://tessellate.example/careers/audit",
    body="""Dear applicant,

Congratulations: your application for Procurement Coordinator at Tessellate Industries will \
progress to the interview stage.

An automated employment decision tool evaluated your supplier negotiation experience and your \
inventory forecasting capabilities. Subsequently, a procurement director independently evaluated \
the recommendation.

Individuals requiring a reasonable accommodation, or an alternative selection process, may \
communicate with our accessibility coordinator at accessibility@tessellate.example.

Tessellate Industries collects your curriculum vitae and questionnaire responses. This information \
originates exclusively from your submitted application materials. Tessellate Industries retains \
this information for three years following the conclusion of recruitment.

Our independent bias audit summary is available at https://tessellate.example/careers/audit.

Tessellate Industries Talent Acquisition""",
    expect={("MSG-012", "grade")},
)

THIRD_PERSON = Entry(
    id="V40-msg012-no-you",
    note="the whole message speaks of 'the candidate', never to 'you'",
    subject="Line Cook application at Juniper Bistro: next step",
    decision="advance",
    job_title="Line Cook",
    factors=(
        factor("kitchen_experience", "some", 0.5, "positive"),
        factor("food_safety_certificate", True, 0.5, "positive"),
    ),
    audit_url="https://juniperbistro.example/audit",
    body="""Hello,

This application for the Line Cook job at Juniper Bistro will now move on to a kitchen trial.

An automated employment decision tool helped the chef look at kitchen experience and the food \
safety certificate. The chef then made the call.

A candidate who needs a reasonable accommodation, or an alternative selection process, can email \
access@juniperbistro.example.

The tool used the resume and the certificate that the candidate sent us. We keep them for two \
years.

The bias audit summary is at https://juniperbistro.example/audit.

Juniper Bistro""",
    expect={("MSG-012", "you")},
)

YOUNG_TEAM = Entry(
    id="V41-msg007-young-team",
    note="age named as fitting 'our young, energetic team'",
    subject="An update from Harbor Coffee",
    decision="reject",
    job_title="Barista",
    factors=(
        factor("weekend_availability", False, 0.7),
        factor("customer_service_experience", 2, 0.3, "positive"),
    ),
    audit_url="https://harborcoffee.com/bias-audit",
    body="""Hello Priya,

Thanks for applying to be a barista at Harbor Coffee. Your personality seemed great, but we \
think you would not fit our young, energetic team.

We used an automated employment decision tool to check whether you can work weekends and your \
customer service experience. We are not moving forward with your application, mainly because you \
can't work weekends.

You can ask us to reconsider by writing to jobs@harborcoffee.com.

Need an accommodation, or want us to assess you in another way? Write to jobs@harborcoffee.com.

The tool only used what you told us in the online application. We delete it twelve months after \
the hiring round closes. Read more at https://harborcoffee.com/privacy.

A summary of our latest bias audit is at https://harborcoffee.com/bias-audit.

Harbor Coffee hiring""",
    expect={("MSG-007", "protected")},
)

LET_US_KNOW = Entry(
    id="V42-msg011-let-us-know",
    note="'If you disagree, let us know': no review, no way to ask",
    subject="Your application for Warehouse Lead",
    decision="reject",
    job_title="Warehouse Lead",
    factors=(
        factor("forklift_certification", False, 0.5),
        factor("years_experience", 2, 0.5, "positive"),
    ),
    audit_url="https://stackwell.example/audit",
    body="""Hi Lou,

We won't be taking your application for Warehouse Lead any further.

An automated employment decision tool looked at your forklift certification and your years of \
experience. You don't have a forklift certification, which this job needs.

If you disagree, let us know.

You can ask for a reasonable accommodation or an alternative selection process at \
access@stackwell.example.

The tool used your application answers, which came from you. We keep them for one year.

The bias audit summary is at https://stackwell.example/audit.

Stackwell Hiring""",
    expect={("MSG-011", "review")},
)

KIDS = Entry(
    id="V43-msg007-kids",
    note="family status named as a concern: 'you care for your kids'",
    subject="Your application for Delivery Driver",
    decision="reject",
    job_title="Delivery Driver",
    factors=(
        factor("driving_record", "two violations", 0.8),
        factor("availability", "weekdays", 0.2, "positive"),
    ),
    audit_url="https://quickship.example/audit",
    body="""Hi Sam,

We're sorry, but your application for Delivery Driver was unsuccessful.

We used an automated employment decision tool to review your driving record and your \
availability. Your driving record was the main reason for our decision.

We also had concerns because your commute from the Bronx would be long and you mentioned you \
care for your kids in the mornings.

To ask for a human review, email review@quickship.example.

For a reasonable accommodation or an alternative selection process, email access@quickship.example.

We used your application form and a driving record report from the state. We keep them for two \
years.

The bias audit summary is at https://quickship.example/audit.

QuickShip""",
    expect={("MSG-007", "protected")},
)

RANKED = Entry(
    id="V44-msg006-ranked",
    note="a rank without a number: 'you ranked below most other applicants'",
    subject="Your Java Developer application at Kite Software",
    decision="reject",
    job_title="Java Developer",
    factors=(
        factor("java_coding_test", 52, 0.7),
        factor("api_design", "good", 0.3, "positive"),
    ),
    audit_url="https://kite.example/audit",
    body="""Hello Lin,

Thanks for taking our coding test. We've decided not to offer you the Java Developer role.

An automated employment decision tool helped our engineers review your Java coding test and your \
API design work. On the Java test you ranked below most other applicants, which is the main \
reason.

To ask for a human review, fill in https://kite.example/review.

To ask for an accommodation or a different selection process, email access@kite.example.

We keep your resume and test answers for one year. You gave us both.

The bias audit summary is at https://kite.example/audit.

Kite Software Talent""",
    expect={("MSG-006", "scores")},
)

CONTACT_ELSEWHERE = Entry(
    id="V45-msg003-contact-for-another-request",
    note="the address after the accommodation offer is for reviews",
    subject="Your Java Developer application at Kite Software",
    decision="reject",
    job_title="Java Developer",
    factors=(
        factor("java_coding_test", 52, 0.7),
        factor("api_design", "good", 0.3, "positive"),
    ),
    audit_url="https://kite.example/audit",
    body="""Hello Lin,

Thanks for taking our coding test. We've decided not to offer you the Java Developer role.

An automated employment decision tool helped our engineers review your Java coding test and your \
API design work. Your Java test answers were not as strong as those of the other finalists.

To ask for a human review, fill in https://kite.example/review.

If you need an accommodation, just let us know. To ask for a review, email review@kite.example.

We keep your resume and test answers for one year. You gave us both.

The bias audit summary is at https://kite.example/audit.

Kite Software Talent""",
    expect={("MSG-003", "contact")},
)

AUDIT_NOT_DATA = Entry(
    id="V46-msg004-link-is-the-audit",
    note="the only link after the data statement is the bias audit's",
    subject="Your Java Developer application at Kite Software",
    decision="advance",
    job_title="Java Developer",
    factors=(
        factor("java_coding_test", 88, 0.7, "positive"),
        factor("api_design", "good", 0.3, "positive"),
    ),
    audit_url="https://kite.example/audit",
    body="""Hello Lin,

Great news: we'd like you to meet the team.

An automated employment decision tool helped our engineers review your Java coding test and your \
API design work.

To ask for an accommodation or a different selection process, email access@kite.example.

We used your resume and test answers, which you gave us. Our bias audit summary is at \
https://kite.example/audit.

Kite Software Talent""",
    expect={("MSG-004", "retention")},
)

RETIREMENT = Entry(
    id="V47-msg007-close-to-retirement",
    note="age named as 'close to retirement'",
    subject="Your application for Senior Accountant at Ledger & Co",
    decision="reject",
    job_title="Senior Accountant",
    factors=(
        factor("cpa_license", False, 0.5),
        factor("accounting_experience_years", 3, 0.5, "positive"),
    ),
    audit_url="https://ledgerco.example/audit",
    body="""Dear Kai,

Thank you for your interest in Ledger & Co. Your application was not successful.

We used an automated employment decision tool to assess your CPA license and your accounting \
experience. We decided not to go further because you do not hold a CPA license, and you may be \
close to retirement.

You can ask for the decision to be reconsidered by emailing review@ledgerco.example.

To request a reasonable accommodation or an alternative selection process, email \
access@ledgerco.example.

We collected your resume from you and keep it for one year.

The bias audit summary is at https://ledgerco.example/audit.

Ledger & Co Recruiting""",
    expect={("MSG-007", "protected")},
)


UNTRACED_TYPING = Entry(
    id="V48-msg002-untraced-typing",
    note="typing speed said to be assessed; no factor is about typing",
    subject="Medical Receptionist at Meadow Health",
    decision="advance",
    job_title="Medical Receptionist",
    factors=(
        factor("bilingual_spanish", True, 0.5, "positive"),
        factor("scheduling_experience", "some", 0.5, "positive"),
    ),
    audit_url="https://meadowhealth.example/audit",
    body="""Dear Ana,

Good news: we would like to interview you for the Medical Receptionist job at Meadow Health.

An automated employment decision tool assessed whether you speak Spanish, your scheduling \
experience and your typing speed.

If you need a reasonable accommodation or another selection process, email \
access@meadowhealth.example.

The tool used your application answers. You gave them to us. We keep them for three years. Read \
more: https://meadowhealth.example/privacy

Our latest bias audit summary: https://meadowhealth.example/audit

Meadow Health Human Resources""",
    expect={("MSG-002", "traceable")},
)

CONFIDENCE = Entry(
    id="V49-msg006-model-confidence",
    note="the model's confidence disclosed",
    subject="Your Pharmacy Technician application",
    decision="reject",
    job_title="Pharmacy Technician",
    factors=(
        factor("pharmacy_tech_certification", False, 0.7),
        factor("retail_experience", "some", 0.3, "positive"),
    ),
    audit_url="https://cornerrx.example/audit",
    body="""Hi Omar,

We're sorry: you were not selected for the Pharmacy Technician job at Corner Pharmacy.

Our automated employment decision tool reviewed your pharmacy tech certification and your retail \
experience. The tool's confidence in your tech certificate was low. So we could not move you \
forward.

You can ask our pharmacist to reconsider. Call (718) 555-0166.

If you need a reasonable accommodation or a different selection process, email hr@cornerrx.example.

We got your resume and certification details from you. We keep them for one year.

The bias audit summary is at https://cornerrx.example/audit.

Corner Pharmacy HR""",
    expect={("MSG-006", "internals")},
)


NATIVE_LANGUAGE = derive(
    MEADOW,
    "V50-msg007-native-language",
    note="national origin as 'not your native language'",
    replace_text=[
        (
            "The deciding factor was Spanish: many of our patients speak it, and the role needs it.",
            "The deciding factor was that Spanish is not your native language.",
        )
    ],
    expect={("MSG-007", "protected")},
)

WEIGHT_SHARE = derive(
    MEADOW,
    "V51-msg006-weight-in-words",
    note="a weight (0.5) in words: 'half of the decision'",
    replace_text=[
        (
            "The deciding factor was Spanish: many of our patients speak it, and the role needs it.",
            "The deciding factor was Spanish. It was half of the decision.",
        )
    ],
    expect={("MSG-006", "internals")},
)


NEAR_PHRASE = derive(
    TIDEWATER,
    "V52-msg001-near-phrase",
    note="'automated decision tool': close to the phrase, without 'employment'",
    replace_text=[("An automated employment decision tool helped", "An automated decision tool helped")],
    expect={("MSG-001", "phrase")},
)

CERTIFIED_BY_NYC = derive(
    TIDEWATER,
    "V53-msg013-certified-by-nyc",
    note="an unsupported legal-status claim",
    replace_text=[("Bias audit summary:", "The tool is certified by NYC. Bias audit summary:")],
    expect={("MSG-013", "claims")},
)

PERCENTILE = derive(
    TIDEWATER,
    "V54-msg006-percentile",
    note="a percentile given as the reason",
    replace_text=[("which is shorter than this job needs", "which put you in the 40th percentile")],
    expect={("MSG-006", "scores")},
)


VIOLATING: tuple[Entry, ...] = (
    NO_PHRASE,
    ACRONYM_FIRST,
    SNAKE_CASE,
    FACTOR_LEFT_OUT,
    UNTRACED_QUALITY,
    NO_ACCOMMODATION,
    ACCOMMODATION_NO_CONTACT,
    NO_DATA_TYPES,
    NO_DATA_SOURCE,
    NO_RETENTION,
    NO_AUDIT_LINK,
    SCORE_IN_WORDS,
    RANK_IN_WORDS,
    FACTOR_VALUE,
    WEIGHT_AS_PERCENT,
    THRESHOLD_IN_WORDS,
    MODEL_WEIGHTS,
    OVER_FIFTY,
    PREGNANCY,
    ACCENT,
    BIRTHPLACE,
    ZIP_NUMBER,
    ZIP_WORD,
    RAW_ID,
    INTERNAL_ID,
    UNDEFINED,
    EMPTY_SUBJECT,
    LONG_SUBJECT,
    SUBJECT_NAMES_NOTHING,
    WEBHOOK_SUBJECT_NAMES_NOTHING,
    NO_OUTCOME,
    OUTCOME_EUPHEMISM,
    NO_REASON,
    REVIEW_NO_CONTACT,
    NO_REVIEW,
    LEADERSHIP_REASON,
    LONG_SENTENCE,
    CLAIM,
    HARD_READING,
    THIRD_PERSON,
    YOUNG_TEAM,
    LET_US_KNOW,
    KIDS,
    RANKED,
    CONTACT_ELSEWHERE,
    AUDIT_NOT_DATA,
    RETIREMENT,
    UNTRACED_TYPING,
    CONFIDENCE,
    NATIVE_LANGUAGE,
    WEIGHT_SHARE,
    NEAR_PHRASE,
    CERTIFIED_BY_NYC,
    PERCENTILE,
    CULTURAL_FIT,
)
