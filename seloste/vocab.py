"""Stable keys shared by the model, the catalogue, the checks and the renderers.

Every choice a user makes is stored as one of these keys and translated only at render time
(`seloste/clauses/{fi,sv,en}.yaml` hold a text for each key), so one set of answers renders in
any language and a saved draft never depends on the wording of a release.
"""

from __future__ import annotations

from enum import StrEnum


class Lang(StrEnum):
    """Languages the notice and the UI are written in."""

    fi = "fi"
    sv = "sv"
    en = "en"


#: The languages, in the order the wizard offers them: the one list every module iterates
#: (texts, catalogue, checks of completeness), so a fourth language is added here and in data.
LANGUAGES: tuple[Lang, ...] = tuple(Lang)

#: Each language named in itself, for the language choosers (not translated: a Swede looks for
#: "Svenska" whatever the page's language is).
LANGUAGE_NAMES: dict[Lang, str] = {Lang.fi: "Suomi", Lang.sv: "Svenska", Lang.en: "English"}


class LegalBasis(StrEnum):
    """GDPR Art. 6(1) points (a)-(f)."""

    consent = "consent"
    contract = "contract"
    legal_obligation = "legal_obligation"
    vital_interests = "vital_interests"
    public_task = "public_task"
    legitimate_interest = "legitimate_interest"


class Role(StrEnum):
    """A recipient's GDPR role toward the company, for one data flow."""

    processor = "processor"
    joint_controller = "joint_controller"
    controller = "controller"


class TransferBasis(StrEnum):
    """Chapter V ground for a transfer outside the EU/EEA."""

    adequacy = "adequacy"
    dpf = "dpf"
    scc = "scc"
    bcr = "bcr"


class CookiePurpose(StrEnum):
    """Cookie categories as Traficom's guide groups them; only `necessary` needs no consent."""

    necessary = "necessary"
    preferences = "preferences"
    analytics = "analytics"
    marketing = "marketing"


class DurationUnit(StrEnum):
    session = "session"
    minutes = "minutes"
    hours = "hours"
    days = "days"
    months = "months"
    years = "years"


class PeriodUnit(StrEnum):
    """Units for retention periods (a notice never counts retention in minutes)."""

    days = "days"
    months = "months"
    years = "years"


class DataSubject(StrEnum):
    customers = "customers"
    business_contacts = "business_contacts"
    prospects = "prospects"
    newsletter_subscribers = "newsletter_subscribers"
    website_visitors = "website_visitors"
    social_media_followers = "social_media_followers"
    course_participants = "course_participants"
    webshop_customers = "webshop_customers"
    contact_requesters = "contact_requesters"
    job_applicants = "job_applicants"
    event_participants = "event_participants"
    members = "members"
    patients = "patients"


class Purpose(StrEnum):
    customer_relationship = "customer_relationship"
    service_delivery = "service_delivery"
    invoicing_accounting = "invoicing_accounting"
    newsletter = "newsletter"
    direct_marketing = "direct_marketing"
    targeted_advertising = "targeted_advertising"
    web_analytics = "web_analytics"
    service_development = "service_development"
    contact_requests = "contact_requests"
    order_handling = "order_handling"
    course_delivery = "course_delivery"
    bookings = "bookings"
    recruitment = "recruitment"
    customer_surveys = "customer_surveys"
    social_media = "social_media"
    booking_reminders = "booking_reminders"
    customer_service = "customer_service"
    fraud_prevention = "fraud_prevention"
    safe_service = "safe_service"
    delivery_returns = "delivery_returns"
    b2b_prospecting = "b2b_prospecting"
    meeting_recordings = "meeting_recordings"
    applicant_references = "applicant_references"
    membership = "membership"
    patient_records = "patient_records"


#: Purposes that are direct marketing: the right to object to them is absolute (Art. 21(2)-(3)).
MARKETING_PURPOSES = frozenset(
    {Purpose.newsletter, Purpose.direct_marketing, Purpose.targeted_advertising}
)


class DataCategory(StrEnum):
    name = "name"
    email = "email"
    phone = "phone"
    address = "address"
    customer_number = "customer_number"
    company = "company"
    job_title = "job_title"
    billing = "billing"
    order_history = "order_history"
    payment_reference = "payment_reference"
    contract = "contract"
    service_needs = "service_needs"
    messages = "messages"
    newsletter_activity = "newsletter_activity"
    website_activity = "website_activity"
    ip_address = "ip_address"
    device_info = "device_info"
    cookie_ids = "cookie_ids"
    course_progress = "course_progress"
    bookings = "bookings"
    marketing_consents = "marketing_consents"
    application = "application"
    date_of_birth = "date_of_birth"
    visit_history = "visit_history"
    treatment_notes = "treatment_notes"
    allergies = "allergies"
    payment_status = "payment_status"
    home_municipality = "home_municipality"
    health_info = "health_info"


class Source(StrEnum):
    data_subject = "data_subject"
    website_automatic = "website_automatic"
    service_providers = "service_providers"
    employer = "employer"
    public_sources = "public_sources"
    third_parties = "third_parties"
    booking_system = "booking_system"
    public_registers = "public_registers"
    social_media_profiles = "social_media_profiles"
    referees = "referees"


#: Sources that make Art. 14 (data not obtained from the person) apply.
INDIRECT_SOURCES = frozenset(
    {Source.service_providers, Source.employer, Source.public_sources, Source.third_parties,
     Source.public_registers, Source.social_media_profiles, Source.referees}
)


class Requirement(StrEnum):
    """Art. 13(2)(e): why (or whether) the person must give the data."""

    voluntary = "voluntary"
    contractual = "contractual"
    statutory = "statutory"


class SpecialCategory(StrEnum):
    """GDPR Art. 9(1) special categories."""

    health = "health"
    racial_ethnic = "racial_ethnic"
    political = "political"
    religious = "religious"
    trade_union = "trade_union"
    genetic = "genetic"
    biometric = "biometric"
    sex_life = "sex_life"


class Art9Condition(StrEnum):
    """GDPR Art. 9(2) points that a small company can realistically rely on."""

    explicit_consent = "explicit_consent"
    employment = "employment"
    vital_interests = "vital_interests"
    made_public = "made_public"
    legal_claims = "legal_claims"
    health_care = "health_care"


class SecurityManual(StrEnum):
    locked_premises = "locked_premises"
    locked_storage = "locked_storage"
    limited_access = "limited_access"
    shredding = "shredding"


class SecurityElectronic(StrEnum):
    passwords = "passwords"
    mfa = "mfa"
    access_rights = "access_rights"
    firewall = "firewall"
    encrypted_connections = "encrypted_connections"
    encryption_at_rest = "encryption_at_rest"
    backups = "backups"
    updates = "updates"
    processor_agreements = "processor_agreements"


class RetentionSubject(StrEnum):
    customer_data = "customer_data"
    newsletter_data = "newsletter_data"
    accounting_records = "accounting_records"
    contracts = "contracts"
    contact_requests = "contact_requests"
    analytics_data = "analytics_data"
    applications = "applications"
    consent_records = "consent_records"
    course_data = "course_data"
    order_data = "order_data"
    treatment_notes = "treatment_notes"
    booking_data = "booking_data"
    prospect_data = "prospect_data"
    member_data = "member_data"
    recordings = "recordings"
    patient_records = "patient_records"


class RetentionStart(StrEnum):
    """The event a retention period is counted from (or, with no length, lasts until)."""

    collection = "collection"
    end_of_customer_relationship = "end_of_customer_relationship"
    last_activity = "last_activity"
    end_of_financial_year = "end_of_financial_year"
    end_of_year_of_financial_year_end = "end_of_year_of_financial_year_end"
    unsubscribe = "unsubscribe"
    consent_withdrawn = "consent_withdrawn"
    end_of_recruitment = "end_of_recruitment"
    request_handled = "request_handled"
    account_closed = "account_closed"
    last_contact = "last_contact"
    end_of_membership = "end_of_membership"
    erasure_requested = "erasure_requested"


#: Events that can end the keeping before a maximum (`RetentionRule.until`): "until you ask us
#: to erase them, but no longer than 3 years". The counting points of the accounting rules and
#: the moment of collection are no such event.
UNTIL_EVENTS: tuple[RetentionStart, ...] = tuple(
    s for s in RetentionStart
    if s not in (RetentionStart.collection, RetentionStart.end_of_financial_year,
                 RetentionStart.end_of_year_of_financial_year_end))


class RetentionPreset(StrEnum):
    """Retention rules set by law, rendered whole from the clause library."""

    accounting_vouchers = "accounting_vouchers"
    accounting_books = "accounting_books"
    patient_records = "patient_records"


class ConsentMechanism(StrEnum):
    banner = "banner"
    cmp_service = "cmp_service"
    none = "none"


class WithdrawMethod(StrEnum):
    footer_link = "footer_link"
    banner_icon = "banner_icon"
    other = "other"


class DpaState(StrEnum):
    """The user's answer about a processor's Art. 28 agreement (None in the model: not answered).

    The catalogue's `DpaKind` is only the *proposal* shown next to the question; the notice says
    an agreement exists only for `confirmed` or `in_terms` (the user confirmed it is part of the
    terms they accepted).
    """

    confirmed = "confirmed"
    not_yet = "not_yet"
    in_terms = "in_terms"


#: Agreement states under which the notice may say an agreement is in place.
DPA_IN_PLACE = frozenset({DpaState.confirmed, DpaState.in_terms})


class Art22Exception(StrEnum):
    """GDPR Art. 22(2): the only grounds for a decision based solely on automated processing."""

    contract = "contract"
    law = "law"
    explicit_consent = "explicit_consent"


class RegisterKind(StrEnum):
    """`site` is the website's visitors: analytics, pixels, embeds and the banner's cookie.

    Site-tracking services belong there, so a customer register never has to carry an analytics
    purpose (or a consent basis) just because the shop platform sets cookies.
    """

    general = "general"
    site = "site"


class TransferMechanism(StrEnum):
    """Chapter V ground as the notice names it: an adequacy decision (Art. 45) or a safeguard
    (Art. 46). The EU-US Data Privacy Framework is an adequacy decision, not a safeguard."""

    adequacy = "adequacy"
    safeguard = "safeguard"


class Right(StrEnum):
    """Data-subject rights whose applicability depends on the legal bases (domain.md §2)."""

    access = "access"
    rectification = "rectification"
    erasure = "erasure"
    restriction = "restriction"
    portability = "portability"
    objection = "objection"
    objection_marketing = "objection_marketing"
    withdraw = "withdraw"
    automated = "automated"
