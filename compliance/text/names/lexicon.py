"""Word lists (already folded) that tell names from the words around them: particles, list and
credit words, honorifics, suffixes, roles, organisation and interface words.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------
# Word lists (folded)
# ---------------------------------------------------------------------------

PARTICLES = frozenset(
    "van von vom de da das dos do del della delle dei degli di du des la le lo les "
    "ter ten den der het zu zur zum bin binti bint ibn al el".split()
)
# Words that join two names in a list, or tie a name to an outlet.
LIST_WORDS = frozenset("and und et y e i og och en ja sowie plus ou or oder".split())
TIE_WORDS = frozenset("with mit avec con com met med for fur pour para per voor at of from via".split())
PREFIX_WORDS = frozenset("by von par por di door av af de z od van written reported story words text texto".split())
HONORIFICS = frozenset("dr prof mr mrs ms mx miss sir dame herr frau mme mlle dra sra rev".split())
SUFFIXES = frozenset("jr sr ii iii iv phd md dds esq mba msc bsc rn mph".split())
SUFFIXES_AFTER_COMMA = SUFFIXES | {"ma", "ms", "mfa", "mpa", "llm", "do", "np", "pa"}

ROLE_CORE = frozenset(
    "staff writer writers reporter reporters correspondent correspondents editor editors columnist "
    "contributor contributors journalist journalists photographer photographers producer intern "
    "redakteur redakteurin redakteure korrespondent korrespondentin korrespondenten autor autorin autoren "
    "author authors auteur auteurs autore autori corresponsal periodista periodistas reportero reportera "
    "redactor redactora journaliste journalistes redaktor redaktorka dziennikarz dziennikarka".split()
)
# Degrees after a name; "Ma" and "Md" written as names are names ("Jack Ma"), so see _is_degree.
DEGREES = frozenset("phd ph.d md m.d ma m.a mba msc bsc mfa mph rn".split())
ROLE_WORDS = ROLE_CORE | frozenset(
    "senior chief special political politics sports sport science health business technology tech "
    "news desk team editorial managing deputy associate assistant executive contributing freelance "
    "guest investigative data national foreign local metro culture opinion features digital "
    "leitender leitende freier freie freelancer envoye envoyee speciale especial".split()
)

ORG_WORDS = frozenset(
    "news nachrichten press presse pressestelle agency agentur agencia agence agenzia media medien "
    "foundation stiftung redaktion redaccion redazione redaction editors editorial staff team desk "
    "newsdesk newsroom online times post journal tribune herald gazette daily weekly magazine magazin "
    "zeitung zeitschrift radio tv television network group gruppe inc ltd llc gmbh corp corporation "
    "company verlag verband verein bund ministry ministerium university universitat universidad "
    "universite institute institut instituto association organization organisation council service "
    "services wire blog club international world today report review channel broadcasting "
    "reuters bloomberg welle webteam support admin administrator official nieuws noticias nouvelles "
    "notizie abteilung department office bureau buro rundfunk fernsehen portal verlagsgruppe "
    "diario periodico revista editora editions edition publishing publications".split()
)
# Heads of German compounds ("Sportredaktion", "PETA-Team").
ORG_ENDINGS = ("redaktion", "team", "verlag", "verband", "agentur", "stiftung", "zeitung", "nachrichten",
                "presse", "newsdesk", "desk")
LEGAL_FORMS = frozenset("se ag kg gmbh sa sas srl spa bv nv plc ltd inc llc co oy ab asa".split())
# Agencies and broadcasters; the short ones only count written in capitals or lower case ("SID",
# "dpa"), because "Sid" and "Ria" are also first names.
AGENCIES = frozenset("reuters bloomberg xinhua kyodo jiji yonhap bernama antara belga lusa".split())
AGENCY_ACRONYMS = frozenset(
    "ap afp dpa epd kna sid apa ansa efe epa upi tass ria bbc cnn npr pbs abc nbc cbs msnbc ard zdf ndr "
    "wdr mdr swr rbb orf srf dw pa aap anp ctk pap mti ians pti ani dha iha sda ats".split()
)
ORG_PHRASES = frozenset({
    "associated press", "the associated press", "deutsche welle", "deutsche presse-agentur",
    "press association", "united press international", "agence france-presse", "agence france presse",
    "canadian press", "the canadian press", "no author", "follow author", "the editors",
})
# Whole values that are page furniture, not credits...
UI_WORDS = frozenset(
    "follow following username user name author authors autor anonymous anon unknown admin "
    "administrator guest staff share shares comment comments login logout signin subscribe menu home "
    "search more read print email mail facebook twitter linkedin whatsapp instagram tweet close "
    "profile bio updated published posted advertisement sponsored contributors contributor "
    "redaktion newsdesk team editor editors none null undefined".split()
)
# ...and words that spoil any value they appear in ("Follow Author", "Share this"); "More" and
# "Close" are left out, being surnames too.
UI_TOKENS = frozenset(
    "follow following username login logout signin subscribe share shares tweet facebook twitter "
    "linkedin whatsapp instagram comments advertisement sponsored anonymous admin administrator "
    "undefined null wordpressadmin unknown watch live latest posts post update updated updates "
    "aktualisierung aktualisiert letzte weitere mehr lesen newsletter podcast video videos foto fotos "
    "photo photos image images gallery galerie menu search suche home startseite".split()
)
# sentence words that, even capitalised, are not names ("More" and "Will" can be surnames, so they are not here)
NEVER_IN_NAMES = frozenset(
    "not what which this that these those is are was were you your we our they their how why when where "
    "und oder ist sind nicht wie wir ich une est sont pas que qui".split()
)
# words that occur in sentences and headlines; written in lower case they are not part of a name
FUNCTION_WORDS = frozenset(
    "a an the not no what which who whom this that these those with without for from into onto upon "
    "in on at to of and or but nor so yet is are was were be been being has have had do does did "
    "you your we our they their he his she her it its my me i all some any every each more most "
    "than then there here when where why how about after before over under while during "
    "den dem des ein eine einer eines einem und oder aber mit für auf aus bei im ins zum zur vom "
    "ist sind war waren wird werden hat haben nicht kein keine wie was wir ihr sie es ich auch noch "
    "une et ou pour avec sans dans sur est sont pas qui que quoi "
    "los las una unos unas con para sin sobre es son".split()
)
ARTICLES = frozenset({"The", "THE", "Der", "DER", "Die", "DIE", "Das", "DAS", "Le", "LE", "La", "LA",
                       "Les", "LES", "El", "EL", "Il", "IL", "Het", "HET", "Los", "Las"})
CJK_ORG_MARKS = ("新聞", "新闻", "日報", "日报", "通信", "電視", "电视", "放送", "テレビ", "デジタル",
                  "オンライン", "編集", "编辑", "記者", "记者", "기자", "社", "網", "网", "报", "報",
                  "局", "台", "신문", "뉴스", "편집", "个人", "個人")

VOWELS = set("aeiouy")
ALWAYS_JOINING = ("and", "und", "with", "mit", "avec", "for", "fur", "für", "pour", "sowie")
PARENTHESES = re.compile(r"\(([^()]*)\)")
