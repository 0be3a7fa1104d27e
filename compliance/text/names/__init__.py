"""Person names in byline text: fold, match a wanted name, split and recognise names.

A syndication licence usually says "the byline must name the original reporter".
Bylines spell that reporter many ways ("By JANE Q. DOE", "Doe, Jane", "Jane Doe und
John Smith", "Aleš Vávra" typed as "Ales Vavra"), yet a byline naming someone else
with the same surname must not pass. So matching works on *folded* text (case,
accents and punctuation variants removed) and a name is compiled once into a
regular expression that knows which parts of it are given name, middle names,
particles and family name.

Map of the package (each module imports only those above it):

- ``fold`` – the comparison form of any text (and ``FoldedText``, which keeps
  offsets back to the original so a match can be shown as the page wrote it);
- ``lexicon`` – the word lists: particles, credit and list words, roles, organisations;
- ``matcher`` – ``NameMatcher``: one wanted name, compiled; ``search``/``search_all`` over text;
- ``classify`` – ``looks_like_person_name``: a person's name, or an organisation or UI word;
- ``split`` – ``split_names``: a byline string cut into the names it credits.

Matching rules (``NameMatcher``):

- Given and family name must both be present, as whole words, in that order
  ("Jane Doe") or inverted with a comma ("Doe, Jane", only where the comma opens a
  list item, so "Jane Smith, John Doe" does not name John Smith).
- An initial stands for any name with that letter ("J. Doe" ~ "Jane Doe"), in
  either direction. Middle names or initials present on one side only are
  tolerated, but not two *different* middle names ("Jane A. Doe" is not
  "Jane B. Doe"). At most two extra words may sit between given and family name.
- Particles (van, von, de, da, del, di, la, le, bin, al-, ...) are optional.
- Hyphen and space are the same inside a name ("Okonjo-Iweala" ~ "Okonjo Iweala"),
  but a hyphenated compound is never cut: "Jean Dupont" does not match
  "Jean-Pierre Dupont", nor "Jane Doe" "Jane Doe-Smith".
- Umlauts may be spelled out, either way round: "Müller" ~ "Mueller", "Jørgen" ~
  "Joergen" (not for "-ael"/"-uel" endings, so "Michael" never matches "Michal").
- Nicknames are different names: "Dan" does not match "Daniel", "Ann" not "Anna".
  A byline that uses a short form needs that form passed as another wanted name.
- A one-word name ("Paddy") or a name made only of initials matches that exact
  word sequence; a Chinese, Japanese or Korean name matches as a folded substring,
  ignoring spaces.
- Markup leaves seams: "bySauli Giliard" (lower-case credit word glued to a capital)
  counts, "Byron Smith" does not name "Ron Smith"; "c.riedler@…" is an address.
- Where a tolerated match and an exact one overlap, the exact one is reported.
- ``exact`` is True when every wanted word was found, in order, written out as
  wanted (case, accents, hyphen/space and the umlaut spellings aside); titles
  ("Dr.") and suffixes ("Jr.") do not count. A checker that must not credit a
  namesake can treat ``exact=False`` ("J. Doe" for "Jane Doe") as needing review.
"""

from __future__ import annotations

from compliance.text.names.classify import looks_like_person_name
from compliance.text.names.fold import fold
from compliance.text.names.matcher import NameMatch, NameMatcher
from compliance.text.names.split import split_names

__all__ = ["NameMatch", "NameMatcher", "fold", "looks_like_person_name", "split_names"]
