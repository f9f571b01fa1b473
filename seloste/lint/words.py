"""The lint's keyword stems (Finnish, Swedish, English), compiled: what counts as naming an item.

Matched against casefolded, normalised text (`analyse._normalise`), so inflected forms match
("suostumuksesi"). Every repeat is bounded (tests/test_hostile_regex.py).
"""

from __future__ import annotations

import re


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


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
