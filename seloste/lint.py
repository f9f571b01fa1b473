"""Check a privacy notice a company already has: outdated law, missing items, known services.

The lint reads plain text (pasted, or taken from a .txt, .md, .docx or .html file) and reports:

- outdated law: the repealed Henkilötietolaki 523/1999, "10 § ja 24 §", Privacy Shield,
  Viestintävirasto ... (the patterns are `seloste.checks.OUTDATED_PATTERNS`, shared with the
  draft checks), each with the text it matched;
- Art. 13/14 items it cannot find, by Finnish, Swedish and English keyword stems (so inflected
  forms match: "suostumuksesi", "valvontaviranomaiselle"). These are said as "may be missing":
  a keyword search cannot prove absence, and it cannot judge whether what it found is correct;
- the catalogue's services named in the text, and what the catalogue knows that the text does
  not say: transfers outside the EEA with no safeguard named (or denied), Meta's joint
  controllership, cookie consent for analytics and pixels.

docs/lint.md says plainly what this can and cannot detect. Keep it in step with the patterns.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seloste.catalogue import ServiceEntry, load_catalogue
from seloste.checks import (
    ITEM_IDS,
    RULES,
    VAGUE_RETENTION,
    Finding,
    Severity,
    make_finding,
    scan_outdated,
    sort_findings,
)
from seloste.extract import (
    MAX_BYTES,
    SUPPORTED_SUFFIXES,
    FileProblem,
    check_text_budget,
    extract_text,
)
from seloste.facts import entry_needs_consent
from seloste.i18n import Texts
from seloste.vocab import Lang

__all__ = [
    "MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "FileProblem",
    "LintReport",
    "MissingItem",
    "OutdatedHit",
    "extract_text",
    "format_lint",
    "lint_bytes",
    "lint_file",
    "lint_text",
    "outdated_groups",
    "recognise_services",
]



def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# ---------------------------------------------------------------- services named in the text

#: How each catalogue service is named in notices (stems, so "Thinkificin", "Mailchimpiin"
#: match). Patterns marked case-sensitive are ordinary words in lower case (posti, zoom).
_SERVICE_PATTERNS: dict[str, str] = {
    "activecampaign": r"\bactive[\s-]?campaign",
    "mailchimp": r"\bmailchimp",
    "mailerlite": r"\bmailer[\s-]?lite",
    "brevo": r"\bbrevo\b|\bsendinblue",
    "klaviyo": r"\bklaviyo",
    "postmark": r"(?-i:\bPostmark)",
    "google_analytics": r"\bgoogle[\s-]*analytic|\bga4\b|\buniversal\s+analytics",
    "matomo_cloud": r"\bmatomo[\s-]*cloud",
    "matomo_self_hosted": r"\bmatomo(?![\s-]*cloud)|\bpiwik",
    "microsoft_clarity": r"\b(?:microsoft|ms)[\s-]*clarity",
    "hotjar": r"\bhotjar",
    "google_tag_manager": r"\bgoogle[\s-]*tag[\s-]*manager",
    "meta_pixel": r"\b(?:facebook|meta|fb)\w{0,30}[\s-]*(?:seuranta)?(?:pikseli|pixel)|"
                  r"\bconversions[\s-]*api|\bpixel\s+(?:de\s+)?(?:facebook|meta)",
    "linkedin_insight": r"\blinkedin\w{0,30}[\s-]*insight",
    "google_ads": r"\bgoogle[\s-]*ads(?:in|iin|issa|\b)|\badwords",
    "tiktok_pixel": r"\btiktok\w{0,30}[\s-]*(?:pikseli|pixel)",
    "facebook_page": r"\bfacebook\w{0,30}[\s-]*(?:(?:ja|och|and|&)\s+instagram\w{0,30}?[\s-]*)?"
                     r"(?:business\s+|yritys)?"
                     r"(?:sivu|til[ie]|page|sida|konto|account|profiil|profil|insights)|"
                     r"\bfacebook\w{0,30}[^.\n]{0,60}?(?:analytiik|tilasto|insights|statistik|analytics)",
    "instagram_page": r"\binstagram\w{0,30}?[\s-]*(?:(?:ja|och|and|&)\s+facebook\w{0,30}?[\s-]*)?"
                      r"(?:business\s+|yritys)?"
                      r"(?:sivu|til[ie]|page|sida|konto|account|profiil|profil|insights)|"
                      r"\binstagram\w{0,30}[^.\n]{0,60}?(?:analytiik|tilasto|insights|statistik|"
                      r"analytics)",
    "linkedin_page": r"\blinkedin\w{0,30}[\s-]*(?:yritys)?(?:sivu|page|sida|company)",
    "thinkific": r"\bthinkific",
    "kajabi": r"\bkajabi",
    "teachable": r"(?-i:\bTeachable\b)",
    "shopify": r"\bshopify",
    "woocommerce": r"\bwoo[\s-]?commerce",
    "wix": r"\bwix(?:\.com|in|iin|issä|illä)?\b",
    "wordpress_com": r"\bwordpress\.com",
    "zoner": r"(?-i:\bZoner)",
    "stripe": r"(?-i:\bStripe)",
    "paytrail": r"\bpaytrail",
    "klarna": r"\bklarna",
    "paypal": r"\bpaypal",
    "vipps_mobilepay": r"\bmobile[\s-]?pay|\bvipps",
    "procountor": r"\bprocountor",
    "netvisor": r"\bnetvisor",
    "visma_eekonomi": r"\be[\s-]?ekonomi",
    "holvi": r"(?-i:\bHolvi(?:n|lla|lle|lta|ssa|in|a)?\b)",
    "calendly": r"\bcalendly",
    "timma": r"(?-i:\bTimma(?:n|lla|ssa|an)?\b)",
    "vello": r"(?-i:\bVello(?:n|ssa|lla|a)?\b)",
    "google_workspace": r"\bgoogle[\s-]*workspace|\bg[\s-]suite\b",
    "microsoft_365": r"\b(?:microsoft|office|ms)[\s-]*365|\bmicrosoft\s+teams",
    "zoom": r"(?-i:\bZoom(?:in|ia|issa|illa|iin)?\b)",
    "typeform": r"\btypeform",
    "google_forms": r"\bgoogle[\s-]*(?:forms|lomakke)",
    "youtube": r"\byoutube",
    "vimeo": r"\bvimeo",
    "google_maps": r"\bgoogle[\s-]*(?:maps|kart)",
    "google_fonts": r"\bgoogle[\s-]*fonts",
    "posti": r"(?-i:\bPosti(?:n|lla|lle|lta|in)?\b)",
    "matkahuolto": r"\bmatkahuol",
    "visma_sign": r"\bvisma[\s-]*sign",
    "docusign": r"\bdocu[\s-]?sign",
    "hubspot": r"\bhubspot",
    "pipedrive": r"\bpipedrive",
    "cookiebot": r"\bcookiebot",
    # added with issue 14 (catalogue of 95 services)
    "mycashflow": r"\bmy[\s-]?cashflow",
    "vilkas": r"(?-i:\bVilkas(?:en|ssa|lla|in)?\b)",
    "kotisivukone": r"\bkotisivukone",
    "squarespace": r"\bsquarespace",
    "louhi": r"(?-i:\bLouhi(?:n|lla|ssa|en)?\b)",
    "planeetta": r"(?-i:\bPlaneeta(?:n|lla|ssa)\b|\bPlaneetta\b)",
    "sumup": r"\bsum[\s-]?up\b",
    "zettle": r"\bzettle|\bizettle",
    "nets_nexi": r"(?-i:\bNets\b|\bNexi\b)",
    "visma_pay": r"\bvisma[\s-]*pay\b",
    "svea": r"(?-i:\bSvea(?:n|lla)?\b)",
    "walley": r"\bwalley",
    "ukko": r"\bukko\.fi",
    "eezy": r"\beezy",
    "fennoa": r"\bfennoa",
    "talenom": r"\btalenom",
    "lianamailer": r"\bliana[\s-]?mailer",
    "creamailer": r"\bcreamailer",
    "lyyti": r"(?-i:\bLyyti(?:n|ssä|llä|in)?\b)",
    "webropol": r"\bwebropol",
    "microsoft_forms": r"\bmicrosoft[\s-]*forms|\bms[\s-]*forms",
    "jotform": r"\bjot[\s-]?form",
    "slotti": r"(?-i:\bSlotti(?:n|ssa|in)?\b)",
    "fresha": r"\bfresha\b",
    "simplybook": r"\bsimplybook",
    "whatsapp_business": r"\bwhats[\s-]?app",
    "meta_messages": r"\bmessenger\b|\binstagram[\s-]*direct",
    "leadfeeder": r"\bleadfeeder|\bdealfront",
    "plausible": r"(?-i:\bPlausible\b)",
    "shipit": r"(?-i:\bShipit(?:in|issä)?\b)",
    "postnord": r"\bpost[\s-]?nord",
    "dhl": r"(?-i:\bDHL)",
    "budbee": r"\bbudbee",
    "cookieyes": r"\bcookie[\s-]?yes",
    "cookie_information": r"\bcookie[\s-]+information\b",
    "complianz": r"\bcomplianz",
    "dropbox": r"\bdropbox",
    "microsoft_teams": r"\b(?:microsoft|ms)[\s-]*teams",
    "google_meet": r"\bgoogle[\s-]*meet",
    "accounting_firm": r"(?-i:\bAccounting firm\b)",
}


def _service_regexes() -> dict[str, re.Pattern[str]]:
    """A pattern per catalogue entry; an entry without one is matched by its plain name."""
    out: dict[str, re.Pattern[str]] = {}
    for sid, entry in load_catalogue().entries.items():
        pattern = _SERVICE_PATTERNS.get(sid)
        if pattern is None:
            name = entry.name.split(" (")[0]
            pattern = r"\b" + r"[\s-]*".join(re.escape(w) for w in name.split())
        out[sid] = _rx(pattern)
    return out


_SERVICE_RX: dict[str, re.Pattern[str]] = {}


def recognise_services(text: str) -> list[str]:
    """Catalogue ids of the services named in ``text``, in order of first mention."""
    if not _SERVICE_RX:
        _SERVICE_RX.update(_service_regexes())
    hits = []
    for sid, rx in _SERVICE_RX.items():
        m = rx.search(text)
        if m:
            hits.append((m.start(), sid))
    return [sid for _, sid in sorted(hits)]


# ---------------------------------------------------------------- keyword stems (casefolded)

_CONSENT = r"suostumu|samtyck|\bconsent"
_LEGIT = r"oikeutet\w{0,30}\s+e(?:tu|du|tuj)|berättigad\w{0,30}\s+intresse|legitimate\s+interest"
_BASES: dict[str, re.Pattern[str]] = {
    "consent": _rx(_CONSENT),
    "contract": _rx(r"sopimu|sopimuks|\bavtal|\bcontract"),
    "legal_obligation": _rx(
        r"lakisäätei|lakiin\s+perustuv\w{0,30}\s+\w{0,30}velvoit|oikeudellis\w{0,30}\s+velvoit|"
        r"lain\s+(?:edellyttämä|vaatima)|rättslig\w{0,30}\s+förpliktelse|lagstadgad|"
        r"legal\s+obligation|statutory\s+obligation"
    ),
    "legitimate_interest": _rx(_LEGIT),
    "vital_interests": _rx(r"elintärke|grundläggande\s+intresse|vital\s+interest"),
    "public_task": _rx(r"yleistä\s+etua|yleisen\s+edun|allmänt\s+intresse|public\s+interest|"
                       r"public\s+task"),
}
#: Words that tie a basis to a purpose ("peruste:", "oikeusperuste", "art. 6", "legal basis").
_TIE = _rx(
    r"oikeusperust|käsittelyperust|käsittelyn\s+perust|\bperuste\s*(?::|on\b|-|–)|"
    r"perusteena\s+on|käsittely\s+perustuu|\b6\s*art|\b6\.?\s*artikla|artikla\s*6|art\.\s*6|"
    r"rättslig\s+grund|laglig\s+grund|\bgrund\s*:|grunden\s+för|behandlingen\s+grundar\s+sig|"
    r"artikel\s+6|legal\s+basis|lawful\s+basis|legal\s+ground|\bbasis\s*:|article\s+6|"
    r"processing\s+is\s+based"
)
_PURPOSE = _rx(
    r"markkinoin|uutiskirje|laskut|kirjanpi|asiakassuh|asiakkuu|analytiik|tilast|tilau|"
    r"toimit|yhteydeno|yhteydenpi|palvelu|kurssi|koulutu|valmennu|rekrytoin|ajanvar|kehittä|"
    r"mainon|tiedotta|viestin|marknadsför|nyhetsbrev|fakturer|bokför|kundrelation|"
    r"kundförhållande|analys|statistik|beställning|leverans|kontakt|kurs|rekryter|bokning|"
    r"utveckl|reklam|annons|marketing|newsletter|invoic|accounting|customer|analytics|"
    r"statistic|order|deliver|contact|course|recruit|booking|develop|advertis|service"
)
#: The repealed law's "asiallinen yhteys" (customer relationship or other proper connection).
_OLD_BASIS = _rx(r"asiallis\w{0,30}\s+yhtey|asiallinen\s+yhtey|saklig\s+förbindelse|"
                 r"saklig\s+anknytning")

_C1_NAME = _rx(
    r"rekisterinpitä|rekisterin\s*pitäjä|rekisterin\s+ylläpitäjä|personuppgiftsansvarig|"
    r"registeransvarig|\bcontroller\b|y-tunnus|fo-nummer|business\s+id|\b\d{7}-\d\b"
)
_C1_CONTACT = _rx(
    r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}|\bat-merkki|\(at\)|\[at\]|"
    r"(?:\+358|\b0)\s?\d{1,3}[\s-]?\d{3}[\s-]?\d{2,4}|\b\d{5}\s+\w"
)
_P2_DESCRIBED = _rx(
    r"oikeutettu\s+etu(?:mme|namme)?\s*(?:on\b|:|koskee|liittyy)|"
    r"oikeutettuna\s+etuna|oikeutettuun\s+etuu(?:mme|n)\s*,?\s*(?:joka|eli|kuten|:)|"
    r"berättigade?\s+intressen?\s*(?:är\b|:|består)|vårt\s+berättigade\s+intresse|"
    r"our\s+legitimate\s+interests?\s*(?:is\b|are\b|:|in\b|consists?)|"
    r"legitimate\s+interests?\s+(?:we\s+pursue|pursued)"
)
_DATA_WORDS = (
    _rx(r"\bnim(?:i|et|en|ien|eä|ensä)\b|\bnamn\b|\bname\b"),
    _rx(r"sähköpost|e-?post|e-?mail"),
    _rx(r"puhelin|telefon|\bphone"),
    _rx(r"osoite|osoitte|adress|address"),
    _rx(r"ip-|\bip\s|evästetunnis|laskutustie|tilaushistor|faktureringsuppgift|billing"),
)
_ITEMS: dict[str, re.Pattern[str]] = {
    "R1": _rx(
        r"vastaanottaj|luovut|käsittelijä|palveluntarjoaj|alihankkij|mottagar|biträd|"
        r"lämnas\s+ut|utlämn|recipient|processor|disclos|service\s+provider"
    ),
    "S1": _rx(
        r"säilyt|säilö|poistet|poistamme|hävit|arkistoi|lagr|bevar|sparas|raderas|gallr|"
        r"retain|retention|\bkept\b|\bstored?\b|delet"
    ),
    "K1": _rx(
        r"valvontaviranomai|tietosuojavaltuutet|\bvalitu|\bkantelu|tillsynsmyndighet|"
        r"dataombudsman|klagomål|supervisory\s+authority|data\s+protection\s+ombudsman|"
        r"lodge\s+a\s+complaint"
    ),
    "O1": _rx(
        r"pakollis|vapaaehtois|edellytyksenä|edellytys\s+\w{0,30}\s*sopimu|jos\s+et\s+anna|"
        r"mikäli\s+et\s+anna|ilman\s+(?:näitä\s+)?tietoj|obligatorisk|frivillig|"
        r"om\s+du\s+inte\s+lämnar|mandatory|obligatory|voluntary|required\s+to\s+provide|"
        r"if\s+you\s+do\s+not\s+provide"
    ),
    "SRC": _rx(
        r"tietolähte|lähteet|lähteistä|tiedot\s+saadaan|saamme\s+tiedot|tiedot\s+kerätään|"
        r"mistä\s+tiedot|\bkällor|\bkälla|uppgifterna\s+(?:fås|samlas|kommer)|\bsources?\b|"
        r"obtained\s+from|collected\s+from|we\s+(?:get|receive|collect)|"
        r"where\s[^.\n]{0,40}?\bcomes?\s+from"
    ),
    "A1": _rx(
        r"automaattis\w{0,30}\s+(?:\w{1,30}\s+){0,2}päätö|automaattiseen\s+käsittelyyn|profiloi|"
        r"profilointi|automatiserade?\s+beslut|automatiserad\s+behandling|profilering|"
        r"automated\s+(?:individual\s+)?decision|automated\s+processing|profiling"
    ),
    "F1": _rx(
        r"uu(?:teen|si|tta|den)\s+(?:käyttö)?tarkoitu|muuhun\s+(?:kuin\s+[^.\n]{0,60}?)?"
        r"tarkoitukseen|tarkoituksen\s+muutt|nytt\s+ändamål|annat\s+ändamål|new\s+purpose|"
        r"other\s+purpose|another\s+purpose|further\s+processing"
    ),
}
#: The six rights of RT, each by its stems.
_RIGHTS: dict[str, re.Pattern[str]] = {
    "access": _rx(r"tarkast|pääsy\w{0,30}\s+tietoihin|saada\s+pääsy|saada\s+kopio|tillgång|"
                  r"registerutdrag|insyn|\baccess\b|copy\s+of\s+(?:your|the)\s+data"),
    "rectification": _rx(r"oikai|korja|täydentä|muuttaa|muutet|rättelse|rätta|korriger|"
                         r"rectif|correct"),
    "erasure": _rx(r"poista|poisto|poistet|unohdetuksi|radera|bortglömd|eras|delet|forgotten"),
    "restriction": _rx(r"rajoitt|rajoitu|begräns|restrict"),
    "objection": _rx(r"vastust|vastusta|\bkieltää|kielto|invänd|motsätt|\bobject(?:ion|ing|s)?\b"),
    "portability": _rx(r"siirrettävy|järjestelmästä\s+toiseen|koneluettav|"
                       r"toiselle\s+rekisterinpitäjälle|dataportabilitet|maskinläsbar|"
                       r"portab|machine-readable"),
}
_WITHDRAW = _rx(r"peruu|peruut|perua|perut|vetää\s+takaisin|återkall|ta\s+tillbaka|withdraw|"
                r"revoke")

_TRANSFER_MENTION = _rx(
    r"(?:\beu\b|\beta\b|\bety\b|euroopan\s+unionin|talousalue\w{0,30})[^.\n]{0,40}?ulkopuol|"
    r"kolmansi\w{0,30}\s+mai|kolmanteen\s+maahan|"
    r"utanför\s+(?:eu|ees|europeiska|eu/ees)|tredje\s*land|"
    r"outside\s+(?:of\s+)?(?:the\s+)?(?:eu\b|eea\b|european)|third\s+countr"
)
_TRANSFER_DENIAL = _rx(
    r"(?:\bei\b|\bemme\b|\beikä\b)[^.\n]{0,50}?(?:siirr|siirt|luovut)\w{0,30}[^.\n]{0,40}?"
    r"(?:\beu\b|\beta\b|euroopan|talousalue)[^.\n]{0,40}?ulkopuol|"
    r"ulkopuol\w{0,30}[^.\n]{0,30}?\b(?:ei|emme)\b[^.\n]{0,20}?(?:siirr|siirt|luovut)|"
    r"(?:\binte\b|\bej\b|\baldrig\b)[^.\n]{0,50}?(?:överför|lämna|flytta)\w{0,30}[^.\n]{0,50}?"
    r"utanför|(?:överför|lämnar)\w{0,30}\s+(?:\w{1,30}\s+){0,3}?(?:inte|ej|aldrig)[^.\n]{0,60}?utanför|"
    r"(?:\bnot\b|\bnever\b|\bno\b)[^.\n]{0,50}?transfer\w{0,30}[^.\n]{0,50}?outside"
)
_SAFEGUARD = _rx(
    r"vakiosopimuslausek|mallisopimuslausek|mallilausek|riittävyyspäätö|tietosuojakehy|"
    r"data\s+privacy\s+framework|\bdpf\b|standard\s+contractual|\bscc|adequacy|"
    r"standardavtalsklausul|beslut\s+om\s+adekvat|adekvat\s+skyddsnivå|dataskyddsram|"
    r"sitovat\s+yrityssäännöt|binding\s+corporate|bindande\s+företagsbestämmelser"
)
_JOINT = _rx(
    r"yhteisrekisterinpi|yhteinen\s+rekisterinpi|yhteis\w{0,30}\s+rekisterinpi|yhteisvastuu|"
    r"gemensam\w{0,30}\s+personuppgiftsansvar|joint[\s-]*controller|\b26\s+art|art\.?\s*26|"
    r"artikla\s+26|article\s+26|artikel\s+26"
)
_COOKIE = _rx(r"eväste|cookie|\bkak(?:a|or|orna|an)\b|pikseli|pixel")
_COOKIE_CONSENT = _rx(r"suostumu|hyväksy|samtyck|godkän|consent|\baccept|opt-?in")
_PROCESSORS_DENIED = _rx(
    r"(?:\bei\b|\bemme\b|\beikä\b)[^.\n]{0,60}?luovu\w{0,30}[^.\n]{0,50}?"
    r"(?:kolmans|ulkopuolis|sivullis|muille)|"
    r"(?:\binte\b|\bej\b|\baldrig\b)[^.\n]{0,60}?(?:lämna\w{0,30}\s+ut|utlämna|överlåt)\w{0,30}"
    r"[^.\n]{0,50}?(?:tredje|utomstående)|"
    r"(?:\bnot\b|\bnever\b)[^.\n]{0,40}?(?:disclos|shar|sold|sell)\w{0,30}[^.\n]{0,40}?"
    r"(?:third\s+part|outside)"
)
_PROCESSOR_WORDS = _rx(
    r"käsittelijä|käsittelijö|tietojenkäsittelysopimu|biträd|\bprocessors?\b|"
    r"data\s+processing\s+agreement|alihankkij|underleverantör|sub-?processor"
)
_PERIOD = _rx(
    r"\b(?:\d{1,4}|yksi|yhden|kaksi|kahden|kolme|kolmen|neljä|neljän|viisi|viiden|kuusi|kuuden|"
    r"seitsemän|kahdeksan|yhdeksän|kymmenen|kaksitoista|kahdentoista|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|twelve|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|tolv)"
    r"\s+(?:vuo|kuukau|kk\b|päiv|viiko|år|månad|dag|veck|year|month|day|week)|"
    r"kirjanpitola|bokföringslag|accounting\s+act"
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"”'(]?[A-ZÅÄÖ0-9])")


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class OutdatedHit:
    """One outdated-law word: the rule, the text exactly as written, and its line (1-based)."""

    rule_id: str
    matched: str
    line: int

    @property
    def severity(self) -> Severity:
        return RULES[self.rule_id].severity

    def finding(self) -> Finding:
        return make_finding(self.rule_id, step="", matched=self.matched, line=self.line)

    def message(self, lang: Lang | str) -> str:
        return self.finding().message(lang)


@dataclass(frozen=True)
class MissingItem:
    """An Art. 13/14 item the text may lack; ``reason`` refines it, ``rights`` lists RT's gaps."""

    item: str
    reason: str = ""
    rights: tuple[str, ...] = ()

    def message(self, lang: Lang | str) -> str:
        t = Texts("seloste.findings", lang)
        key = f"lint.missing.{self.item}" + (f"_{self.reason}" if self.reason else "")
        if self.rights:
            rights = t("list_joiner").join(t(f"right.{r}") for r in self.rights)
            return t(key, rights=rights)
        return t(key)

    def title(self, lang: Lang | str) -> str:
        return Texts("seloste.findings", lang)(f"item.{self.item}")


@dataclass
class LintReport:
    outdated: list[OutdatedHit] = field(default_factory=list)
    missing: list[MissingItem] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    characters: int = 0

    @property
    def missing_items(self) -> list[str]:
        return [m.item for m in self.missing]

    def rule_ids(self) -> set[str]:
        return {h.rule_id for h in self.outdated} | {f.rule_id for f in self.findings}

    def clean(self) -> bool:
        return not (self.outdated or self.missing or self.findings)

    def as_dict(self, lang: Lang | str) -> dict[str, Any]:
        catalogue = load_catalogue()
        return {
            "characters": self.characters,
            "outdated": [
                {"rule_id": h.rule_id, "severity": h.severity.value, "matched": h.matched,
                 "line": h.line, "message": h.message(lang)}
                for h in self.outdated
            ],
            "missing": [
                {"item": m.item, "reason": m.reason, "rights": list(m.rights),
                 "message": m.message(lang)}
                for m in self.missing
            ],
            "services": [{"id": s, "name": catalogue.get(s).name} for s in self.services],
            "findings": [f.as_dict(lang) for f in self.findings],
        }


# ---------------------------------------------------------------- analysis


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00ad", "").replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("\u2011", "-").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def _segments(text: str) -> list[str]:
    """Sentences (a line may hold several; a table row is one), casefolded."""
    out: list[str] = []
    for line in text.split("\n"):
        if line:
            out.extend(s.casefold() for s in _SENTENCE_END.split(line) if s)
    return out


def _p1(full: str, segments: list[str]) -> str | None:
    """None when purposes and bases are tied together; else the reason P1 may be missing."""
    bases = {name for name, rx in _BASES.items() if rx.search(full)}
    if _OLD_BASIS.search(full):
        return "old"
    if not bases:
        return "none"
    any_tie = bool(_TIE.search(full))
    tied = 0
    for seg in segments:
        if not any(rx.search(seg) for rx in _BASES.values()):
            continue
        tie = _TIE.search(seg)
        with_purpose = bool(_PURPOSE.search(seg))
        in_row = any_tie and "|" in seg and with_purpose  # a table row under a basis header
        if (tie and (with_purpose or len(seg[: tie.start()].split()) >= 2)) or in_row:
            tied += 1
    if tied >= 2 or (tied == 1 and len(bases) == 1):
        return None
    return "untied"


def _missing_items(full: str, segments: list[str]) -> list[MissingItem]:
    found: dict[str, MissingItem] = {}
    if not (_C1_NAME.search(full) and _C1_CONTACT.search(full)):
        found["C1"] = MissingItem("C1")
    p1 = _p1(full, segments)
    if p1 is not None:
        found["P1"] = MissingItem("P1", p1)
    if _BASES["legitimate_interest"].search(full) and not _P2_DESCRIBED.search(full):
        found["P2"] = MissingItem("P2")
    if sum(1 for rx in _DATA_WORDS if rx.search(full)) < 2:
        found["D1"] = MissingItem("D1")
    for item, rx in _ITEMS.items():
        if not rx.search(full):
            found[item] = MissingItem(item)
    rights = tuple(r for r, rx in _RIGHTS.items() if not rx.search(full))
    if rights:
        found["RT"] = MissingItem("RT", rights=rights)
    if _BASES["consent"].search(full) and not any(
        _WITHDRAW.search(s) and _BASES["consent"].search(s) for s in segments
    ):
        found["W1"] = MissingItem("W1")
    return [found[i] for i in ITEM_IDS if i in found]


def _tracks(entry: ServiceEntry) -> bool:
    return entry_needs_consent(entry)  # the one consent rule (seloste.facts)


def _catalogue_findings(full: str, segments: list[str], services: list[str],
                        missing: list[MissingItem]) -> list[Finding]:
    catalogue = load_catalogue()
    entries = [catalogue.get(s) for s in services]
    out: list[Finding] = []
    transfers = [e.id for e in entries if e.outside_eea]
    denied = bool(_TRANSFER_DENIAL.search(full))
    if transfers and denied:
        out.append(make_finding("lint_transfer_denied", transfers=" ".join(transfers)))
    elif transfers and not _SAFEGUARD.search(full):
        out.append(make_finding("lint_transfer_no_safeguard", transfers=" ".join(transfers)))
    elif not transfers and not denied and _TRANSFER_MENTION.search(full) \
            and not _SAFEGUARD.search(full):
        missing.append(MissingItem("T1", "safeguard"))
        missing.sort(key=lambda m: ITEM_IDS.index(m.item))
    joint = [e.id for e in entries if e.has_role("joint_controller")]
    if joint and not _JOINT.search(full):
        out.append(make_finding("lint_joint_controller", services=" ".join(joint)))
    trackers = [e.id for e in entries if _tracks(e)]
    if trackers and not any(_COOKIE.search(s) and _COOKIE_CONSENT.search(s) for s in segments):
        out.append(make_finding("lint_cookie_consent", services=" ".join(trackers)))
    receivers = [e.id for e in entries if e.vendor is not None]
    if receivers and _PROCESSORS_DENIED.search(full) and not _PROCESSOR_WORDS.search(full):
        out.append(make_finding("lint_processors_denied", services=" ".join(receivers)))
    if VAGUE_RETENTION.search(full) and not _PERIOD.search(full):
        out.append(make_finding("lint_retention_vague"))
    return out


def _outdated(text: str) -> list[OutdatedHit]:
    hits: dict[tuple[str, str], OutdatedHit] = {}
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    for rule_id, match in scan_outdated(text):
        key = (rule_id, match.group(0).casefold())
        line = _line_of(starts, match.start())
        if key not in hits or hits[key].line > line:
            hits[key] = OutdatedHit(rule_id, match.group(0), line)
    order = {r: i for i, r in enumerate(RULES)}
    return sorted(hits.values(), key=lambda h: (RULES[h.rule_id].severity != Severity.error,
                                                h.line, order[h.rule_id]))


def _line_of(starts: list[int], pos: int) -> int:
    lo, hi = 0, len(starts)
    while lo + 1 < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= pos:
            lo = mid
        else:
            hi = mid
    return lo + 1


def lint_text(text: str) -> LintReport:
    """Check the text of an existing notice.

    Raises `FileProblem` when there is no text at all, or more than the character budget
    (`seloste.extract.MAX_TEXT_CHARS`): the budget is what keeps every pattern's work bounded.
    """
    check_text_budget(text)
    text = _normalise(text)
    if not text.strip():
        raise FileProblem("no_text", "no text to check")
    full = text.casefold()
    segments = _segments(text)
    services = recognise_services(text)
    missing = _missing_items(full, segments)
    findings = _catalogue_findings(full, segments, services, missing)
    return LintReport(
        outdated=_outdated(text),
        missing=missing,
        services=services,
        findings=sort_findings(findings),
        characters=len(text),
    )


# ---------------------------------------------------------------- files



def lint_bytes(data: bytes, filename: str) -> LintReport:
    return lint_text(extract_text(data, filename))


def lint_file(path: Path) -> LintReport:
    """Lint a .txt/.md (UTF-8), .docx or .html file; OSError if unreadable, ValueError if not."""
    path = Path(path)
    if path.stat().st_size > MAX_BYTES:  # before reading it: a file may be any size
        raise FileProblem("too_large", f"the file is too large (over {MAX_BYTES} bytes)")
    return lint_bytes(path.read_bytes(), path.name)


# ---------------------------------------------------------------- output


def _lines(items: Iterable[str]) -> str:
    return "".join(f"  {i}\n" for i in items)


def _by_rule(hits: list[OutdatedHit]) -> list[tuple[str, list[OutdatedHit]]]:
    groups: dict[str, list[OutdatedHit]] = {}
    for hit in hits:
        groups.setdefault(hit.rule_id, []).append(hit)
    return list(groups.items())


def _where(t: Texts, hits: list[OutdatedHit]) -> str:
    lines = sorted({h.line for h in hits})
    if len(lines) == 1:
        return t("lint.line", line=lines[0])
    return t("lint.lines", lines=", ".join(str(n) for n in lines))


def _grouped_message(hits: list[OutdatedHit], lang: Lang | str) -> str:
    """One message for all the words one rule matched: ”a”, ”b” and ”c” in one sentence."""
    matched = Texts("seloste.findings", lang)("matched_joiner").join(h.matched for h in hits)
    return make_finding(hits[0].rule_id, step="", matched=matched).message(lang)


def outdated_groups(report: LintReport, lang: Lang | str) -> list[tuple[Severity, str, str]]:
    """(severity, where, message) per outdated-law rule, all its words in one message."""
    t = Texts("seloste.findings", lang)
    return [
        (RULES[rule_id].severity, _where(t, hits), _grouped_message(hits, lang))
        for rule_id, hits in _by_rule(report.outdated)
    ]


def format_lint(report: LintReport, lang: Lang | str, fmt: str = "text") -> str:
    """``text``: a report for people, in ``lang``; ``json``: the same for machines."""
    if fmt == "json":
        return json.dumps(report.as_dict(lang), ensure_ascii=False, indent=2) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown format: {fmt!r} (expected text or json)")
    t = Texts("seloste.findings", lang)
    sev = {s: t(f"severity.{s.value}") for s in Severity}
    out: list[str] = [t("lint.title", characters=report.characters) + "\n"]
    if report.outdated:
        out.append("\n" + t("lint.outdated", count=len(_by_rule(report.outdated))) + "\n")
        out.append(_lines(
            f"{sev[severity]} ({where}): {message}"
            for severity, where, message in outdated_groups(report, lang)
        ))
    if report.missing:
        out.append("\n" + t("lint.missing_title", count=len(report.missing)) + "\n")
        out.append(_lines(f"{m.item} {m.title(lang)}: {m.message(lang)}" for m in report.missing))
    catalogue = load_catalogue()
    names = t("list_joiner").join(catalogue.get(s).name for s in report.services)
    out.append("\n" + (t("lint.services", names=names) if names else t("lint.no_services")) + "\n")
    if report.findings:
        out.append("\n" + t("lint.catalogue", count=len(report.findings)) + "\n")
        out.append(_lines(
            f"{sev[f.severity]}: {','.join(f.items) + ' ' if f.items else ''}{f.message(lang)}"
            for f in report.findings
        ))
    if report.clean():
        out.append("\n" + t("lint.clean") + "\n")
    out.append("\n" + t("lint.footer") + "\n")
    return "".join(out)
