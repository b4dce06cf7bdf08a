"""Compliant candidate messages written in many voices, each with traps a careless rule falls into.

None follows one template: reasons come in prose, the review route in plain words, paragraphs in
different orders, the employer named only in the text, memos with the contract § 2 fields only.
The traps are words that contain a protected term ("agency", "manage", "message", "Sextant"),
numbers that are dates, times, phones, URLs, addresses or part of a job title, "None of" as
English, disability named where an accommodation is offered, and every kind of decision.
"""

from __future__ import annotations

from .model import Entry, factor

ACME = Entry(
    id="C01-acme-reject-prose",
    note="employer named only in the text; subject names the employer, not the position",
    subject="Your Acme Corp application",
    decision="reject",
    job_title="Data Analyst",
    factors=(
        factor("sql_proficiency", 62, 0.35),
        factor("years_experience", 1, 0.25),
        factor("communication_skills", "strong", 0.4, "positive"),
    ),
    audit_url="https://acmecorp.com/careers/bias-audit-2026",
    body="""Hi Jordan,

Thank you for applying for the Data Analyst role at Acme Corp. We have decided not to move forward \
with your application.

We want to be open about how we decided. An automated employment decision tool helped our \
recruiters review your application. It looked at your SQL skills, your work experience and your \
communication skills.

The main reasons for our decision were your SQL skills and the amount of work experience you have. \
Both were below what this role needs right now.

If you think we got this wrong, you can ask a member of our team to look at your application \
again. Just write to talent-review@acmecorp.com by March 3, 2027 and tell us why.

Do you need a different way to apply, or a reasonable accommodation? Call us at 212-555-0147 or \
email access@acmecorp.com and we will help.

About your data: the tool used your resume and the answers you gave in our online form. All of it \
came from you. We delete it two years after the job is filled. Our full data policy is at \
https://acmecorp.com/careers/privacy.

You can read a summary of the latest bias audit of this tool at \
https://acmecorp.com/careers/bias-audit-2026.

Best wishes,
The Acme Corp Talent Team""",
)

NORTHWIND = Entry(
    id="C02-northwind-advance-headings",
    note="advance; headings without punctuation; a digit in the job title equal to a factor value; "
    "a time and a date; the employer given with --employer-name",
    subject="Next steps with Northwind Health",
    decision="advance",
    job_title="Level 3 Technician",
    employer_name="Northwind Health",
    factors=(
        factor("hvac_certification_level", 3, 0.3, "positive"),
        factor("troubleshooting_test", 78, 0.5, "positive"),
        factor("years_experience", 4, 0.2, "positive"),
    ),
    audit_url="https://northwindhealth.org/careers/aedt-audit",
    body="""Good news! Your application for the Level 3 Technician job at Northwind Health is moving \
to the next stage. A recruiter will call you to set up an interview. Please pick a time before \
5:30 p.m. on June 12, 2026.

How we reviewed your application
Northwind Health uses an automated employment decision tool to help sort applications. For this \
job it checked your HVAC certification, your answers on the troubleshooting test, and your years \
of experience in the trade. A recruiter then read your application too.

Your data
The tool used the details in your resume and your test answers. You gave us both when you \
applied. We keep this data for three years and then delete it.

Bias audit
An independent firm audits this tool for bias each year. Read the summary of the latest audit at \
https://northwindhealth.org/careers/aedt-audit.

Accommodations
You can ask for a reasonable accommodation or for a different selection process at any time. \
Call 646-555-0199 or email accommodations@northwindhealth.org.

We look forward to talking with you.
Northwind Health Recruiting""",
)

RIVERSIDE = Entry(
    id="C03-riverside-hire-disability",
    note="hire; subject names the employer only, found in the body; disability named in the "
    "accommodation offer; AEDT after the phrase; 'managers'",
    subject="Welcome to Riverside Care!",
    decision="hire",
    job_title="Registered Nurse",
    factors=(
        factor("nursing_license", True, 0.4, "positive"),
        factor("clinical_experience_years", 6, 0.35, "positive"),
        factor("patient_communication", "strong", 0.25, "positive"),
    ),
    audit_url="https://riversidecare.org/aedt/audit-summary",
    body="""Dear Sam,

We are delighted to offer you the Registered Nurse position at Riverside Care. Your offer letter, \
with your pay and start date, will follow in a separate email.

Before we made this decision, an automated employment decision tool (AEDT) helped our nurse \
managers review applications. The AEDT looked at your nursing license, your clinical experience \
and how you communicate with patients. A nurse manager made the final choice.

The data we used was your application form, your interview notes and your license record. We got \
the license record from the state licensing website, and the rest from you. We store this data \
while you work with us and for six years after.

If you have a disability and need an accommodation to start work, tell us at \
hr-access@riversidecare.org or 718-555-0123. You can ask for this at any time.

Our most recent bias audit summary is posted at https://riversidecare.org/aedt/audit-summary.

Welcome aboard,
The Riverside Care People Team""",
)

HARBOR = Entry(
    id="C04-harbor-hold",
    note="hold; 'because' about scheduling, not a protected reason; accommodation request by reply",
    subject="Your Barista application is on hold",
    decision="hold",
    job_title="Barista",
    factors=(
        factor("weekend_availability", True, 0.5, "positive"),
        factor("customer_service_experience", 2, 0.5, "neutral"),
    ),
    audit_url="https://harborcoffee.com/bias-audit",
    body="""Hello Priya,

Thanks for applying to be a barista at Harbor Coffee. We have put your application on hold for \
now, because the store you picked has no open shifts this month. We will write again by \
April 30, 2026.

An automated employment decision tool sorted the applications for this job. It checked two \
things: whether you can work weekends, and your customer service experience. A shift lead made \
the choice to hold.

Need an accommodation, or want us to assess you in another way? Write to jobs@harborcoffee.com \
or visit https://harborcoffee.com/apply-help.

The tool only used what you told us in the online application: your work history and the shifts \
you can work. We delete it twelve months after the hiring round closes. Read more at \
https://harborcoffee.com/privacy.

A yearly bias audit of the tool is summarised at https://harborcoffee.com/bias-audit.

Thanks,
Harbor Coffee hiring""",
)

GREENLEAF_REJECT = Entry(
    id="C05-greenleaf-webhook-reject",
    note="webhook decision: no request, § 2 memo, no job title, no employer given; weight 1",
    subject="About your application to Greenleaf Logistics",
    decision="reject",
    webhook=True,
    factors=(factor("insufficient_experience", True, 1),),
    audit_url="https://greenleaf-logistics.com/audit",
    body="""Hello,

Thank you for your interest in Greenleaf Logistics. We are sorry to tell you that you were not \
selected for this role.

The reason is that your work experience did not match what the role needs.

We used an automated employment decision tool to help sort applications. It looked at your work \
experience.

You can ask a person to reconsider this decision. Reply to hiring@greenleaf-logistics.com with \
the word "review" in the subject line within thirty days.

You may ask for a reasonable accommodation or an alternative selection process by writing to \
access@greenleaf-logistics.com.

The tool used the information in your application form, such as your job history. You sent us \
this information when you applied. We keep it for two years. See \
https://greenleaf-logistics.com/candidate-privacy for details.

Read the bias audit summary at https://greenleaf-logistics.com/audit.

Greenleaf Logistics Talent Acquisition""",
)

GREENLEAF_ADVANCE = Entry(
    id="C06-greenleaf-webhook-advance",
    note="webhook advance; subject names the employer only, with no generic word",
    subject="Greenleaf Logistics: next steps",
    decision="advance",
    webhook=True,
    factors=(factor("application_review", True, 1, "positive"),),
    audit_url="https://greenleaf-logistics.com/audit",
    body="""Hello,

Good news from the Greenleaf Logistics hiring team: we would like to meet you.

We used an automated employment decision tool to help us review your application, and a \
recruiter read it too. We will email you soon to book a call.

If you need a reasonable accommodation for the call, or would like a different selection \
process, email access@greenleaf-logistics.com.

The tool used the information in your application form, such as your job history. You sent us \
this information when you applied. We keep it for two years. See \
https://greenleaf-logistics.com/candidate-privacy for details.

Read the bias audit summary at https://greenleaf-logistics.com/audit.

See you soon,
Greenleaf Logistics Talent Acquisition""",
)

WAREHOUSE_NO_FACTORS = Entry(
    id="C07-warehouse-reject-no-factors",
    note="rejection with zero decision factors: there is no recorded reason to give",
    subject="Warehouse Associate: our decision",
    decision="reject",
    job_title="Warehouse Associate",
    audit_url="https://stackwell.example/audit",
    body="""Hi there,

You applied for the Warehouse Associate job at Stackwell. We are not able to offer you this job.

We used an automated employment decision tool as part of our process. It looked at your \
application as a whole and did not record a separate reason.

You have the right to ask for a human review of this decision. Email reviews@stackwell.example \
or call 347-555-0110 and we will have a supervisor look at it.

You can also ask for an alternative selection process or a reasonable accommodation at the same \
email address or phone number: reviews@stackwell.example, 347-555-0110.

The tool read the answers you typed into our application form, which came straight from you. We \
keep them for one year, then delete them.

The summary of our most recent bias audit is at https://stackwell.example/audit.

Stackwell Hiring""",
)

ORBIT = Entry(
    id="C08-orbit-advance-many-factors",
    note="advance with eight factors named in prose; a roman numeral in the job title",
    subject="Software Engineer II at Orbit Systems: you're through to the next round",
    decision="advance",
    job_title="Software Engineer II",
    factors=(
        factor("python_skills", 88, 0.2, "positive"),
        factor("system_design_interview", 4, 0.15, "positive"),
        factor("sql_knowledge", True, 0.1, "positive"),
        factor("code_review_exercise", "pass", 0.15, "positive"),
        factor("years_experience", 5, 0.1, "positive"),
        factor("communication", "good", 0.1, "positive"),
        factor("teamwork", "good", 0.1, "positive"),
        factor("github_portfolio", True, 0.1, "positive"),
    ),
    audit_url="https://orbitsystems.io/hiring/audit",
    body="""Hi Alex,

Great news: you're through to the final round for Software Engineer II.

An automated employment decision tool helped us review your application. It considered a lot: \
your Python skills, your system design interview, what you know about SQL, the code review \
exercise, your years of experience, your communication, your teamwork and your GitHub portfolio. \
Our engineers then read everything.

Our coordinator will send you a calendar invite for the final round.

Want the final round done another way, or need an accommodation? Tell us at \
access@orbitsystems.io.

What we collect: your resume, your interview notes and your exercise answers. This comes from you \
and from our interviewers. We keep it for two years after the role closes. Details are at \
https://orbitsystems.io/hiring/privacy.

Summary of the latest bias audit: https://orbitsystems.io/hiring/audit

Cheers,
The Orbit Systems hiring team""",
)

BRIGHTLINE = Entry(
    id="C09-brightline-reject-none-of",
    note="'None of' is English; employer given with --employer-name; reasons as a comparison",
    subject="Brightline Telecom: update on your application",
    decision="reject",
    job_title="Customer Support Specialist",
    employer_name="Brightline Telecom",
    factors=(
        factor("typing_speed", 41, 0.3),
        factor("customer_service_experience", 3, 0.5),
        factor("spanish_fluency", True, 0.2, "positive"),
    ),
    audit_url="https://brightline.example/aedt-audit",
    body="""Dear applicant,

Thank you for applying to Brightline Telecom. We're sorry, but we have chosen other candidates \
for the Customer Support Specialist role.

An automated employment decision tool helped us assess your typing speed, your customer service \
experience and your Spanish.

Other candidates had more customer service experience than you, and a faster typing speed. \
Those were the main reasons for our decision.

Would you like us to reconsider? You can request a review by a person at \
https://brightline.example/review-request.

None of your answers are shared with other companies. The tool used your application answers \
and a short typing test, both of which you gave us. We keep them for two years.

You may request a reasonable accommodation or another selection process by calling \
(212) 555-0163.

The summary of our latest bias audit is at https://brightline.example/aedt-audit.

Kind regards,
Brightline Telecom Recruiting""",
)

HALCYON = Entry(
    id="C10-halcyon-advance-accommodation-grounds",
    note="disability, pregnancy and religious practice named as grounds for an accommodation",
    subject="Halcyon Bank: your interview for Branch Teller",
    decision="advance",
    job_title="Branch Teller",
    factors=(
        factor("cash_handling_experience", True, 0.5, "positive"),
        factor("customer_service", "good", 0.5, "positive"),
    ),
    audit_url="https://halcyonbank.example/careers/audit",
    body="""Hello Maria,

You're invited to interview for the Branch Teller job at Halcyon Bank.

We used an automated employment decision tool to check your cash handling experience and your \
customer service background. A branch manager reviewed the result.

If you have a disability, are pregnant, or need a change for religious practice, you can ask for \
a reasonable accommodation. You can also ask for an alternative selection process. Call \
917-555-0134 or write to access@halcyonbank.example.

We collect your resume and your answers to our screening questions. You provide this data when \
you apply. We keep it for three years. Read our candidate privacy notice at \
https://halcyonbank.example/careers/privacy.

The bias audit summary for this tool is at https://halcyonbank.example/careers/audit.

See you soon,
The Halcyon Bank hiring team""",
)

SEXTANT = Entry(
    id="C11-sextant-reject-lookalikes",
    note="'Sextant', 'agency', 'manage', 'message', 'Racetrack' contain protected terms; a staffing "
    "agency as the data source",
    subject="Operations Manager role at Sextant Labs",
    decision="reject",
    job_title="Operations Manager",
    factors=(
        factor("vendor_management", "limited", 0.6),
        factor("budgeting_experience", "some", 0.4, "positive"),
    ),
    audit_url="https://sextantlabs.com/jobs/audit",
    body="""Hi Chris,

Thanks for your interest in the Operations Manager role at Sextant Labs. We will not be moving \
forward with your application.

This message explains how we decided. We used an automated employment decision tool to help us \
assess your vendor management and budgeting experience. A hiring manager at our Racetrack Road \
office made the final call.

The main reason was your vendor management experience. The role needs someone who has managed \
many outside vendors.

If you would like a second look, you can ask for a human review. Email \
second-look@sextantlabs.com.

You can ask for a reasonable accommodation or a different selection process at \
access@sextantlabs.com.

We received your resume from Bridge Staffing Agency, the agency that referred you. We also used \
the answers you gave us on the phone screen. We keep this data for two years.

The latest bias audit of this tool is summarised at https://sextantlabs.com/jobs/audit.

Regards,
Sextant Labs Recruiting""",
)

KESTREL = Entry(
    id="C12-kestrel-reject-numbers-in-urls",
    note="numbers in URLs, a date, a phone and a job title with a roman numeral",
    subject="Update on your Analyst II application",
    decision="reject",
    job_title="Analyst II",
    factors=(
        factor("excel_test", 44, 0.4),
        factor("financial_modeling", "basic", 0.6),
    ),
    audit_url="https://jobs.kestrel.example/2026/bias-audit",
    body="""Hello Dana,

Thank you for applying for the Analyst II role (https://jobs.kestrel.example/2026/req-4411). \
Unfortunately, your application was not successful.

An automated employment decision tool helped us review your Excel test and your financial \
modeling work. The tool did not make the decision on its own.

We decided this mainly because your financial modeling work was less advanced than the role \
needs. Your Excel test was also a factor.

You can request a review of this decision by a person. Email analyst-hiring@kestrel.example \
before March 3, 2027, or call 212-555-0147.

To ask for a reasonable accommodation or an alternative way to be assessed, use the same email or \
phone number, or visit https://jobs.kestrel.example/accommodations.

The tool used your resume and your Excel test answers, which you submitted through our careers \
site. We keep this data for two years. Our data policy is at \
https://jobs.kestrel.example/privacy.

The summary of our latest bias audit is at https://jobs.kestrel.example/2026/bias-audit.

Kestrel Finance Talent Team""",
)

LUMEN = Entry(
    id="C13-lumen-reject-equal-opportunity",
    note="an equal-opportunity statement names protected characteristics, as a non-reason",
    subject="Your application for Graphic Designer at Lumen Studio",
    decision="reject",
    job_title="Graphic Designer",
    factors=(
        factor("portfolio_review", "incomplete", 0.7),
        factor("adobe_skills", "good", 0.3, "positive"),
    ),
    audit_url="https://lumenstudio.example/audit",
    body="""Hi Robin,

Thank you for applying. We have decided not to offer you the Graphic Designer role.

We used an automated employment decision tool to review your portfolio and your Adobe skills. \
The main reason for our decision was your portfolio, which did not include the print work this \
role needs.

Lumen Studio is an equal opportunity employer. We make hiring decisions without regard to race, \
religion, sex, age, disability or national origin.

You can ask us to reconsider. Reply to reconsider@lumenstudio.example and a designer on our team \
will review your application again.

For a reasonable accommodation or another selection process, email access@lumenstudio.example.

We collected your portfolio and your resume from you through our job board. We keep them for one \
year. See https://lumenstudio.example/privacy.

Bias audit summary: https://lumenstudio.example/audit.

Lumen Studio""",
)

CIVIC = Entry(
    id="C14-civic-advance-postal-address",
    note="a mailing address with a ZIP code, for written requests; employer in a memo extension",
    subject="Civic Transit Authority: next steps",
    decision="advance",
    job_title="Bus Operator",
    memo_extra={"employer": {"name": "Civic Transit Authority"}},
    factors=(
        factor("commercial_driver_license", True, 0.6, "positive"),
        factor("safety_record", "clean", 0.4, "positive"),
    ),
    audit_url="https://civictransit.example/careers/audit",
    body="""Dear candidate,

Your application for Bus Operator is moving forward. We will contact you about a road test.

An automated employment decision tool helped us check your commercial driver license and your \
safety record.

You can ask for a reasonable accommodation or an alternative selection process. Call \
718-555-0190, or write to Candidate Services, 350 Jay Street, Brooklyn, NY 11201.

We collect your license details and your driving record. We get them from you and from the state \
motor vehicle office. We keep them for three years. For a copy of our data policy, write to the \
address above or visit https://civictransit.example/careers/data.

Read the summary of the latest bias audit at https://civictransit.example/careers/audit.

Civic Transit Authority Recruitment""",
)

PINE = Entry(
    id="C15-pine-hold-acronym-in-url",
    note="'aedt' inside a URL before the phrase is spelled out; hold",
    subject="Pine Ridge School District: Math Teacher application on hold",
    decision="hold",
    job_title="Math Teacher",
    factors=(
        factor("teaching_certification", True, 0.5, "positive"),
        factor("classroom_experience", "some", 0.5, "neutral"),
    ),
    audit_url="https://pineridge.example/jobs/aedt-audit",
    body="""Dear Kim,

Your notice is posted at https://pineridge.example/jobs/aedt-notice. We have put your Math \
Teacher application on hold until the budget for next year is final.

An automated employment decision tool looked at your teaching certification and your classroom \
experience. A principal will make the final decision.

Need an accommodation or a different selection process? Email hr-access@pineridge.example.

The tool used your application form and your certification record. You gave us the form, and we \
got the record from the state education department. We keep both for four years.

The bias audit summary is at https://pineridge.example/jobs/aedt-audit.

Pine Ridge School District Human Resources""",
)

MERIDIAN = Entry(
    id="C16-meridian-reject-appeal-form",
    note="reasons first, then the outcome; an appeal through a web form; a protected factor that "
    "the message rightly leaves out",
    subject="Meridian Insurance: your Claims Adjuster application",
    decision="reject",
    job_title="Claims Adjuster",
    factors=(
        factor("licensing_exam", "not passed", 0.5),
        factor("claims_experience", "none", 0.3),
        factor("age", 52, 0.2, "neutral"),
    ),
    audit_url="https://meridian.example/careers/bias-audit",
    body="""Hello Lee,

You told us you have not yet passed the state licensing exam, and this job needs a license from \
day one. That was the main reason we are not moving forward with your application. Your claims \
experience was also less than we need.

We used an automated employment decision tool to assess your licensing exam status and your \
claims experience.

To appeal this decision, fill in the form at https://meridian.example/careers/appeal. A person \
will look at your case.

To ask for a reasonable accommodation or another selection process, use the form at \
https://meridian.example/careers/accommodation.

We collect your application answers and your resume. They come from you. We delete them after \
two years.

Our latest bias audit summary is at https://meridian.example/careers/bias-audit.

Meridian Insurance Careers""",
)

SUMMIT = Entry(
    id="C17-summit-hire-position-only",
    note="hire; subject names the position only; the weighted-most role described in words",
    subject="Offer: Sous Chef",
    decision="hire",
    job_title="Sous Chef",
    factors=(
        factor("kitchen_management_experience", 7, 0.6, "positive"),
        factor("food_safety_certificate", True, 0.4, "positive"),
    ),
    audit_url="https://summitdining.example/audit",
    body="""Hi Jamie,

We'd love you to join Summit Dining as our new Sous Chef! Your offer is attached.

An automated employment decision tool helped us review your kitchen management experience and \
your food safety certificate. Its result counted more than any other part of our review.

You can ask for a reasonable accommodation at any point, including on your first day. Email \
people@summitdining.example.

The tool used your resume and your certificate, which you sent us. We keep them while you work \
here and for three years after. Our privacy notice is at https://summitdining.example/privacy.

Our last bias audit summary: https://summitdining.example/audit.

Welcome to the team,
Summit Dining""",
)

GREENLEAF_UNSPECIFIED = Entry(
    id="C18-greenleaf-webhook-no-reason-recorded",
    note="webhook rejection whose ATS gave no reason: the reason is unknown, not missing",
    subject="Your application to Greenleaf Logistics",
    decision="reject",
    webhook=True,
    factors=(factor("rejection_reason_unspecified", True, 1),),
    audit_url="https://greenleaf-logistics.com/audit",
    body="""Hello,

Thank you for applying to Greenleaf Logistics. We will not be offering you this role.

We used an automated employment decision tool to help sort applications. It looked at your \
application as a whole.

You can ask a person to reconsider this decision. Reply to hiring@greenleaf-logistics.com.

You may ask for a reasonable accommodation or an alternative selection process by writing to \
access@greenleaf-logistics.com.

The tool used the information in your application form, such as your job history. You sent us \
this information when you applied. We keep it for two years. See \
https://greenleaf-logistics.com/candidate-privacy for details.

Read the bias audit summary at https://greenleaf-logistics.com/audit.

Greenleaf Logistics Talent Acquisition""",
)

ACME_WEBHOOK = Entry(
    id="C19-acme-webhook-advance-brand-subject",
    note="webhook advance; the subject names the employer by the name the sign-off uses",
    subject="Acme Corp — good news",
    decision="advance",
    webhook=True,
    factors=(factor("application_review", True, 1, "positive"),),
    audit_url="https://acmecorp.com/careers/bias-audit-2026",
    body="""Hi Jordan,

We enjoyed reading your application and would like to invite you to a first interview.

An automated employment decision tool helped us review your application before a recruiter \
read it.

Do you need a different way to apply, or a reasonable accommodation? Call us at 212-555-0147 or \
email access@acmecorp.com and we will help.

About your data: the tool used your resume and the answers you gave in our online form. All of it \
came from you. We delete it two years after the job is filled. Our full data policy is at \
https://acmecorp.com/careers/privacy.

You can read a summary of the latest bias audit of this tool at \
https://acmecorp.com/careers/bias-audit-2026.

Best wishes,
The Acme Corp Talent Team""",
)

QUILL = Entry(
    id="C20-quill-reject-fell-short",
    note="reasons in words of shortfall; reconsideration by phone; bullet list of data types",
    subject="Copy Editor application — Quill Publishing",
    decision="reject",
    job_title="Copy Editor",
    factors=(
        factor("editing_test", 58, 0.55),
        factor("ap_style_knowledge", "basic", 0.45),
    ),
    audit_url="https://quillpublishing.example/aedt/audit",
    body="""Dear Morgan,

We're sorry to say that we won't be moving forward with your application for Copy Editor.

An automated employment decision tool helped us assess your editing test and your knowledge of \
AP style. Your editing test fell short of what the role needs, and so did your AP style \
knowledge.

If you'd like us to reconsider, call our recruiting line at 646-555-0178 and ask for a review by \
an editor.

You can also ask for an accommodation or a different selection process by calling the same \
number.

The tool used:
- your resume
- your editing test answers

Both came from you. We keep them for one year.

The bias audit summary is at https://quillpublishing.example/aedt/audit.

Quill Publishing""",
)

VERDANT = Entry(
    id="C21-verdant-hold-no-title",
    note="hold with no job title in the request: the subject names the employer found in the body",
    subject="A short update from Verdant Energy",
    decision="hold",
    factors=(
        factor("solar_installation_experience", "some", 0.7, "positive"),
        factor("driver_license", True, 0.3, "positive"),
    ),
    audit_url="https://verdant.example/careers/audit",
    body="""Hello Casey,

Thank you for applying to Verdant Energy. Your application is on hold while we confirm how many \
crews we need this summer.

An automated employment decision tool helped us look at your solar installation experience and \
your driver license.

For a reasonable accommodation, or an alternative selection process, email \
access@verdant.example.

The tool used your application answers, which you gave us. We keep them for two years. Learn more \
at https://verdant.example/careers/privacy.

The latest bias audit summary is at https://verdant.example/careers/audit.

Verdant Energy Careers""",
)

BRIGHTMART = Entry(
    id="C22-brightmart-reject-here-is-why",
    note="'Here is why.' announces the reason; 'go with another applicant'; a toll-free number",
    subject="Your application: Store Supervisor",
    decision="reject",
    job_title="Store Supervisor",
    factors=(
        factor("store_leadership_yrs", 1, 0.5),
        factor("scheduling_tool_skill", "basic", 0.5, "positive"),
    ),
    audit_url="https://brightmart.example/audit",
    body="""Hi Pat,

Unfortunately, we've decided to go with another applicant for the Store Supervisor job at \
BrightMart.

Here is why. We looked for someone with more years of store leadership. An automated employment \
decision tool helped us compare applicants on store leadership and on skill with our scheduling \
tool.

If you think we made a mistake, you can ask for a human review: https://brightmart.example/review.

If you need a reasonable accommodation or a different selection process, call 1-800-555-0142.

We used your resume and your answers to the screening questions. You gave us both. We delete \
them after one year.

Bias audit summary: https://brightmart.example/audit

BrightMart Careers""",
)

GOLDEN_AGE = Entry(
    id="C23-golden-age-reject-written-request",
    note="an employer name containing 'Age'; the data policy offered by written request; 'the same number'",
    subject="Golden Age Senior Living: your application",
    decision="reject",
    job_title="Care Aide",
    factors=(
        factor("cpr_certification", False, 0.6),
        factor("caregiving_experience", "some", 0.4, "positive"),
    ),
    audit_url="https://goldenage.example/audit",
    body="""Dear Toni,

Thank you for applying to be a Care Aide at Golden Age Senior Living. We are not able to offer \
you the job.

We used an automated employment decision tool to check your CPR certification and your \
caregiving experience. The main reason for our decision is that you do not have a CPR \
certification yet, and this job needs one from the first day.

You can ask a person to review this decision. Call 516-555-0177.

You can ask for a reasonable accommodation or another selection process by calling the same number.

To learn what data we collected, where it came from and how long we keep it, write to \
privacy@goldenage.example.

Our bias audit summary is at https://goldenage.example/audit.

Golden Age Senior Living Human Resources""",
)

ACME_HIRE = Entry(
    id="C24-acme-hire-short-brand",
    note="hire; the subject names the employer by its short name",
    subject="Acme — your offer",
    decision="hire",
    job_title="Data Engineer",
    factors=(
        factor("python_test", 91, 0.5, "positive"),
        factor("data_pipeline_experience", 3, 0.5, "positive"),
    ),
    audit_url="https://acme.example/audit",
    body="""Hi Sasha,

We're happy to offer you the Data Engineer job at Acme!

Our automated employment decision tool reviewed your Python test and your data pipeline \
experience. Then two engineers read your application.

Need an accommodation to start? Email access@acme.example.

We used your resume and your Python test answers. They came from you. We keep them for as long \
as you work here, plus two years. See https://acme.example/privacy.

Read the bias audit summary: https://acme.example/audit.

The Acme People Team""",
)

JUNIPER = Entry(
    id="C25-juniper-reject-reply-for-review",
    note="review by replying to the message; 'That is the main reason'",
    subject="Line Cook at Juniper Bistro",
    decision="reject",
    job_title="Line Cook",
    factors=(
        factor("knife_skills_trial", "fail", 0.7),
        factor("food_safety_certificate", True, 0.3, "positive"),
    ),
    audit_url="https://juniperbistro.example/audit",
    body="""Hi Rene,

Thanks for coming in for the kitchen trial. Sadly, we have chosen other candidates for the Line \
Cook job.

An automated employment decision tool helped our chef assess your knife skills at the trial and \
your food safety certificate.

Your knife skills at the trial did not show the speed this kitchen needs. That is the main reason.

Want us to take another look? Reply to this email and the head chef will review it.

If you need an accommodation or a different way to be assessed, email access@juniperbistro.example.

We keep your resume and trial notes for one year. You gave us your resume, and our chef wrote \
the trial notes.

The bias audit summary is at https://juniperbistro.example/audit.

Juniper Bistro""",
)

GRADED_TITLE = Entry(
    id="C26-acme-advance-graded-title",
    note="the subject names the title without its grade ('Senior Data Analyst' for 'Senior Data Analyst II')",
    subject="Your Senior Data Analyst application",
    decision="advance",
    job_title="Senior Data Analyst II",
    factors=(
        factor("sql_test", 77, 0.5, "positive"),
        factor("stakeholder_communication", "good", 0.5, "positive"),
    ),
    audit_url="https://acme.example/audit",
    body="""Hi Jo,

Good news: you're through to the next round for Senior Data Analyst II.

An automated employment decision tool looked at your SQL test and how you communicate with \
stakeholders.

To ask for an accommodation or another selection process, email access@acme.example.

We keep your resume and SQL test answers, which you gave us, for two years.

Read the bias audit summary at https://acme.example/audit.

Acme Recruiting""",
)

BRIGHT_MINDS = Entry(
    id="C27-bright-minds-advance-no-score",
    note="says the tool gives no score or ranking: no score is disclosed",
    subject="Your application for Tutor",
    decision="advance",
    job_title="Tutor",
    factors=(
        factor("math_test", 85, 0.6, "positive"),
        factor("teaching_experience", "some", 0.4, "positive"),
    ),
    audit_url="https://brightminds.example/audit",
    body="""Dear Ari,

We would like to invite you to a trial lesson for the Tutor job at Bright Minds.

An automated employment decision tool assessed your math test and your teaching experience. The \
tool does not give you a score or a ranking that we share; a person makes the final call.

If you need a reasonable accommodation for the trial lesson, email access@brightminds.example.

Your resume and your test answers came from you. We keep them for two years, then delete them.

Read the bias audit summary at https://brightminds.example/audit.

Bright Minds Tutoring""",
)

RIVERSIDE_REJECT = Entry(
    id="C28-riverside-reject-looked-at-again",
    note="review as 'looked at again'; 'Because' with a qualification",
    subject="Registered Nurse — application update",
    decision="reject",
    job_title="Registered Nurse",
    factors=(
        factor("icu_experience", "none", 0.6),
        factor("nursing_license", True, 0.4, "positive"),
    ),
    audit_url="https://riversidecare.org/aedt/audit-summary",
    body="""Dear Sam,

Thank you for applying for the Registered Nurse position at Riverside Care. We have decided not \
to move ahead with your application.

We used an automated employment decision tool to assess your ICU experience and your nursing \
license. Because this unit needs nurses with ICU experience, and you have not worked in an ICU, \
we could not offer you this job.

You can ask for the decision to be looked at again by a nurse manager. Email \
hr-review@riversidecare.org.

If you need an accommodation, or an alternative selection process, tell us at \
hr-access@riversidecare.org.

We store your application form and license record for six years. We got them from you and from \
the state licensing website.

Our most recent bias audit summary is posted at https://riversidecare.org/aedt/audit-summary.

The Riverside Care People Team""",
)

NORTHSTAR = Entry(
    id="C29-northstar-reject-sales-team",
    note="no job title; 'our sales team' is the employer's side, not an assessed quality",
    subject="Your application to Northstar Media",
    decision="reject",
    factors=(
        factor("cold_calling_experience", "little", 0.6),
        factor("crm_skills", "good", 0.4, "positive"),
    ),
    audit_url="https://northstar.example/audit",
    body="""Hi Dev,

Thank you for applying to Northstar Media. We reviewed your application for our sales team, and \
we will not be moving forward.

An automated employment decision tool helped us assess your cold calling experience and your CRM \
skills. The main reason is that you have little cold calling experience.

You can ask a person to reconsider. Email review@northstar.example.

For a reasonable accommodation or another selection process, email access@northstar.example.

We used your resume and your answers to our questions, which you sent us. We delete them after a \
year.

The bias audit summary is at https://northstar.example/audit.

Northstar Media Recruiting""",
)

FINCH = Entry(
    id="C30-finch-webhook-advance-signature",
    note="webhook; the employer appears only in a personal sign-off ('Recruiter, Finch Labs')",
    subject="Finch Labs: next steps",
    decision="advance",
    webhook=True,
    factors=(factor("application_review", True, 1, "positive"),),
    audit_url="https://finchlabs.example/audit",
    body="""Hi Noor,

Our technical team reviewed your application with the help of an automated employment decision \
tool, and we'd like to talk.

If you need an accommodation for the call, email access@finchlabs.example.

The tool used your resume, which you uploaded when you applied. We keep it for two years.

Bias audit summary: https://finchlabs.example/audit.

Best,
Jane Doe
Recruiter, Finch Labs""",
)

KITE = Entry(
    id="C31-kite-reject-not-as-strong",
    note="the reason as 'not as strong as'; review by a web form",
    subject="Java Developer at Kite Software",
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

To ask for an accommodation or a different selection process, email access@kite.example.

We keep your resume and test answers for one year. You gave us both.

The bias audit summary is at https://kite.example/audit.

Kite Software Talent""",
)

FINCH_HOLD = Entry(
    id="C32-finch-webhook-hold-re-subject",
    note="webhook hold; 'Re: your application' with nothing known",
    subject="Re: your application",
    decision="hold",
    webhook=True,
    factors=(factor("application_review", True, 1, "neutral"),),
    audit_url="https://finchlabs.example/audit",
    body="""Hi Noor,

We have paused hiring for this role, so your application is on hold. We'll write again when we \
restart.

An automated employment decision tool helped us review your application.

If you need an accommodation or an alternative selection process, email access@finchlabs.example.

The tool used your resume, which you uploaded when you applied. We keep it for two years.

Bias audit summary: https://finchlabs.example/audit.

Finch Labs""",
)

NUMBERED = Entry(
    id="C33-acme-reject-numbered-reasons",
    note="reasons as a numbered list; weight-free numbers only as list markers",
    subject="Data Analyst application — Acme Corp",
    decision="reject",
    job_title="Data Analyst",
    factors=(
        factor("sql_test", 40, 0.6),
        factor("years_experience", 1, 0.4),
    ),
    audit_url="https://acmecorp.com/careers/bias-audit-2026",
    body="""Hi Jordan,

We're sorry to tell you that we are not moving forward with your application for Data Analyst.

An automated employment decision tool helped us review your SQL test and your work experience. \
Our main reasons were:
1. Your SQL test.
2. Your work experience.

To ask for a review by a person, email talent-review@acmecorp.com.

Do you need a different way to apply, or a reasonable accommodation? Call us at 212-555-0147.

About your data: the tool used your resume and the answers you gave in our online form. All of \
it came from you. We delete it two years after the job is filled.

You can read a summary of the latest bias audit of this tool at \
https://acmecorp.com/careers/bias-audit-2026.

The Acme Corp Talent Team""",
)


MARLOW = Entry(
    id="C34-marlow-reject-markdown",
    note="markdown headings and '*' bullets; an ampersand in the employer's name; a title in parentheses",
    subject="MARLOW & SONS — your application",
    decision="reject",
    job_title="Bookkeeper (Part-Time)",
    factors=(
        factor("quickbooks_proficiency", "basic", 0.6),
        factor("bookkeeping_years", 2, 0.4, "positive"),
    ),
    audit_url="https://marlowsons.example/audit",
    body="""# Our decision

Thank you for applying for the Bookkeeper (Part-Time) job at Marlow & Sons. We have decided not \
to move forward.

# Why

We used an automated employment decision tool to look at your QuickBooks skills and your \
bookkeeping experience. Your QuickBooks skills were below what the job needs. This was the main \
reason.

# Your options

* Ask a person to reconsider: email review@marlowsons.example.
* Ask for a reasonable accommodation or a different selection process: email \
access@marlowsons.example.

# Your data

We used your resume and quiz answers. You sent them to us. We delete them after one year.

Bias audit summary: https://marlowsons.example/audit""",
)

TERSE = Entry(
    id="C35-terse-webhook-reject",
    note="webhook; terse labelled lines; 'reply to this email' as the review route",
    subject="Your application",
    decision="reject",
    webhook=True,
    factors=(factor("insufficient_experience", True, 1),),
    audit_url="https://example.org/audit",
    body="""Hi,

You were not selected. The reason: not enough relevant experience.

An automated employment decision tool helped us review your experience.

Appeal: reply to this email within two weeks and a recruiter will review it.

Accommodations or an alternative selection process: access@example.org

Data: your resume and answers, from you, kept for two years.

Audit: https://example.org/audit""",
)

MEADOW = Entry(
    id="C36-meadow-reject-offered-to-another",
    note="'offered the job to another candidate'; 'the deciding factor'; 'considering Meadow Health'",
    subject="Thank you from Meadow Health",
    decision="reject",
    job_title="Medical Receptionist",
    factors=(
        factor("bilingual_spanish", False, 0.5),
        factor("scheduling_experience", "some", 0.5, "positive"),
    ),
    audit_url="https://meadowhealth.example/audit",
    body="""Dear Ana,

Thank you for considering Meadow Health. After review, we have offered the Medical Receptionist \
job to another candidate.

An automated employment decision tool assessed whether you speak Spanish and your scheduling \
experience. The deciding factor was Spanish: many of our patients speak it, and the role needs \
it.

You can ask a person to reconsider this decision by calling 718-555-0102.

If you need a reasonable accommodation or another selection process, email \
access@meadowhealth.example.

The tool used your application answers. You gave them to us. We keep them for three years. Read \
more: https://meadowhealth.example/privacy

Our latest bias audit summary: https://meadowhealth.example/audit

Meadow Health Human Resources""",
)

CORNER_HIRE = Entry(
    id="C37-corner-hire-ordinal-date",
    note="hire; '1st' and '9 a.m.'; religious practice and disability as accommodation grounds",
    subject="Your Pharmacy Technician application",
    decision="hire",
    job_title="Pharmacy Technician",
    factors=(
        factor("pharmacy_tech_certification", True, 0.7, "positive"),
        factor("retail_experience", "some", 0.3, "positive"),
    ),
    audit_url="https://cornerrx.example/audit",
    body="""Hi Omar,

Welcome to Corner Pharmacy! We'd like to offer you the Pharmacy Technician job. You start on the \
1st of next month at 9 a.m.

Our automated employment decision tool reviewed your pharmacy tech certification and your retail \
experience. Our pharmacist made the final choice. An outside firm audited the tool for bias. The \
summary is at https://cornerrx.example/audit.

If you need a reasonable accommodation at work, including for a religious practice or a \
disability, email hr@cornerrx.example or call (718) 555-0166.

We got your resume and certification details from you. We keep them while you work with us and \
for three years after.

See you soon,
Corner Pharmacy HR""",
)


TIDEWATER = Entry(
    id="C38-tidewater-reject-one-sentence-for-all",
    note="one sentence offers review, accommodation and another process; the data policy linked with a lead-in colon",
    subject="Teller application — Tidewater Bank",
    decision="reject",
    job_title="Teller",
    factors=(
        factor("cash_handling_experience", "6 months", 0.6),
        factor("customer_service_experience", "some", 0.4, "positive"),
    ),
    audit_url="https://tidewater.example/audit",
    body="""Hi Sam,

Thanks for applying to Tidewater Bank. We are sorry, but we will not be offering you the Teller job.

An automated employment decision tool helped us review your cash handling experience and your \
customer service experience. The main reason was your cash handling experience, which is shorter \
than this job needs.

To ask for a human review, a reasonable accommodation or another selection process, email \
help@tidewater.example.

Learn what data we use, where it comes from and how long we keep it: \
https://tidewater.example/candidate-data

Bias audit summary: https://tidewater.example/audit

Tidewater Bank Talent""",
)

TIDEWATER_ADVANCE = Entry(
    id="C39-tidewater-advance-weighted-most",
    note="the weighted-most role in the law's words ('weighted more than anything else'); passive retention",
    subject="Teller application — Tidewater Bank",
    decision="advance",
    job_title="Teller",
    factors=(
        factor("cash_handling_experience", "2 years", 0.6, "positive"),
        factor("customer_service_experience", "some", 0.4, "positive"),
    ),
    audit_url="https://tidewater.example/audit",
    body="""Hi Sam,

Good news! Your Teller application at Tidewater Bank is moving forward.

An automated employment decision tool helped us review your cash handling experience and your \
customer service experience. The tool's result was weighted more than anything else. A branch \
manager checked it.

To ask for a reasonable accommodation or another selection process, email help@tidewater.example.

Your data is kept for two years. It came from your application form and your resume.

Bias audit summary: https://tidewater.example/audit

Tidewater Bank Talent""",
)

TIDEWATER_HOLD = Entry(
    id="C40-tidewater-hold-typed-from-call",
    note="hold; data typed in by a recruiter from a phone call; 'hold on to it for a year'",
    subject="Teller application — Tidewater Bank",
    decision="hold",
    job_title="Teller",
    factors=(
        factor("cash_handling_experience", "2 years", 0.6, "positive"),
        factor("customer_service_experience", "some", 0.4, "positive"),
    ),
    audit_url="https://tidewater.example/audit",
    body="""Hi Sam,

Your Teller application at Tidewater Bank is on hold until we know how many tellers the new \
branch needs.

An automated employment decision tool helped us review your cash handling experience and your \
customer service experience.

To ask for a reasonable accommodation or another selection process, email help@tidewater.example.

We collect what you put in your application, which our recruiter typed in from your phone call. \
We hold on to it for a year.

Bias audit summary: https://tidewater.example/audit

Tidewater Bank Talent""",
)


COMPLIANT: tuple[Entry, ...] = (
    ACME,
    NORTHWIND,
    RIVERSIDE,
    HARBOR,
    GREENLEAF_REJECT,
    GREENLEAF_ADVANCE,
    WAREHOUSE_NO_FACTORS,
    ORBIT,
    BRIGHTLINE,
    HALCYON,
    SEXTANT,
    KESTREL,
    LUMEN,
    CIVIC,
    PINE,
    MERIDIAN,
    SUMMIT,
    GREENLEAF_UNSPECIFIED,
    ACME_WEBHOOK,
    QUILL,
    VERDANT,
    BRIGHTMART,
    GOLDEN_AGE,
    ACME_HIRE,
    JUNIPER,
    GRADED_TITLE,
    BRIGHT_MINDS,
    RIVERSIDE_REJECT,
    NORTHSTAR,
    FINCH,
    KITE,
    FINCH_HOLD,
    NUMBERED,
    MARLOW,
    TERSE,
    MEADOW,
    CORNER_HIRE,
    TIDEWATER,
    TIDEWATER_ADVANCE,
    TIDEWATER_HOLD,
)
