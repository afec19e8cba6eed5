"""Words shown to readers, in one place: every sentence, label, name and number format.

- ``names``: the one country-name table (short English names: "Russia", "South Korea") and whose
  figures ("Belarus's figures");
- ``labels``: reporter labels for charts and tables;
- ``fmt``: numbers, amounts, periods and dates ("USD 967 mn", signed percentages that never read
  "-0%", plurals);
- ``phrases``: the template of every ``Phrase`` a verdict carries (basis, not checked, data used,
  robustness details);
- ``render``: the vintage phrase ("As of 31 May 2016"), each rule's finding from its typed facts,
  the sentence and the ``verdicts.json`` record;
- ``badges``: labels of the ClaimReview objects.

The model (``turnover.model``) returns numbers and typed facts (``model.results``) and writes no
English; ``verdicts.json`` and the report both word them through this package, and nothing reads
the words back. A wording change (publishers' names for source ids, statistics in words, a rule's
parameters as a sentence) is a change here only.
"""
