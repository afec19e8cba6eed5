"""Writes ``countries.csv``: every partner code the live sources can return, mapped to the panel's codes.

Run ``python -m turnover.countries.build`` (needs ``pycountry``, a dev dependency) after
a change of the lists below; the CSV is bundled, so running the project never needs this.

Sources:
- ISO 3166-1 (alpha-3 and numeric codes, via ``pycountry``, which packages Debian's iso-codes).
  For countries the UN M49 code is the ISO numeric code; the IMF (IMTS) and WITS use ISO alpha-3.
- UN Comtrade's partner list (https://comtradeapi.un.org/files/v1/app/reference/partnerAreas.json;
  the same ids and names as the legacy https://comtrade.un.org/Data/cache/partnerAreas.json).
  Comtrade uses its own code for a few countries (France 251, Italy 381, Norway 579,
  Switzerland 757, India 699, USA 842) and has areas that are no country ("Areas, nes",
  "Bunkers", "Free Zones", "Special Categories", regional "nes" areas, former countries).
  ``COMTRADE_ONLY`` below lists every id of that list that is not the ISO numeric code of a
  current country, with its name as the list gives it. Where Comtrade uses a country's ISO
  numeric code for an area (492, Monaco's, is "Europe EU, nes"), that country has no Comtrade id.

Codes in the panel: ISO alpha-3 for countries, ``WLD`` for the World (an aggregate), and
``CT<id>`` for the other Comtrade areas (all marked ``aggregate``; they are never a country
the ranking could name). IMF group codes other than World (``G001``) and WITS region codes
are not covered: the loaders ask those sources for named partners, or record such codes as
unknown instead of guessing.
"""

from __future__ import annotations

import csv
from pathlib import Path

OUT = Path(__file__).with_name("countries.csv")
COLUMNS = ["iso3", "kind", "m49", "imf", "wits", "name"]

# Comtrade ids for current countries that differ from the ISO numeric code (id, ISO alpha-3)
COMTRADE_COUNTRY = {251: "FRA", 381: "ITA", 579: "NOR", 699: "IND", 757: "CHE", 842: "USA"}

# every other id in the Comtrade partner list that is not a current ISO 3166-1 numeric code
COMTRADE_ONLY = {
    58: "Belgium-Luxembourg", 80: "Br. Antarctic Terr.", 129: "Caribbean, nes", 200: "Czechoslovakia",
    221: "Eastern Europe, nes", 230: "Fmr Ethiopia", 278: "Fmr Dem. Rep. of Germany",
    280: "Fmr Fed. Rep. of Germany", 290: "Northern Africa, nes", 356: "India, excl. Sikkim",
    457: "Sarawak", 459: "Peninsula Malaysia", 461: "Sabah", 471: "CACM, nes",
    472: "Africa CAMEU region, nes", 473: "LAIA, nes", 490: "Other Asia, nes", 492: "Europe EU, nes",
    527: "Oceania, nes", 530: "Neth. Antilles", 532: "Neth. Antilles and Aruba", 536: "Neutral Zone",
    568: "Other Europe, nes", 577: "Other Africa, nes", 582: "Fmr Pacific Isds", 588: "East and West Pakistan",
    590: "Fmr Panama, excl.Canal Zone", 592: "Fmr Panama-Canal-Zone", 636: "Rest of America, nes",
    637: "North America and Central America, nes", 647: "Ryukyu Isd", 658: "Saint Kitts, Nevis and Anguilla",
    697: "Europe EFTA, nes", 698: "Sikkim", 711: "So. African Customs Union", 717: "Fmr Rhodesia Nyas",
    720: "Fmr Dem. Yemen", 736: "Fmr Sudan", 810: "Fmr USSR", 835: "Fmr Tanganyika",
    836: "Fmr Zanzibar and Pemba Isd", 837: "Bunkers", 838: "Free Zones", 839: "Special Categories",
    841: "USA (before 1981)", 849: "US Misc. Pacific Isds", 866: "Fmr Dem. Rep. of Vietnam",
    868: "Fmr Rep. of Vietnam", 879: "Western Asia, nes", 886: "Fmr Arab Rep. of Yemen",
    890: "Fmr Yugoslavia", 891: "Serbia and Montenegro", 899: "Areas, nes",
}


def rows() -> list[dict[str, str]]:
    import pycountry

    comtrade_id = {iso: str(code) for code, iso in COMTRADE_COUNTRY.items()}
    out = [{"iso3": "WLD", "kind": "aggregate", "m49": "0", "imf": "G001", "wits": "wld", "name": "World"}]
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        numeric = str(int(c.numeric))
        if int(numeric) in COMTRADE_ONLY and c.alpha_3 not in comtrade_id:
            numeric = ""  # Comtrade uses that id for an area (492 Monaco: "Europe EU, nes")
        out.append({"iso3": c.alpha_3, "kind": "country", "m49": comtrade_id.get(c.alpha_3, numeric),
                    "imf": c.alpha_3, "wits": c.alpha_3.lower(), "name": c.name})
    for code, name in sorted(COMTRADE_ONLY.items()):
        out.append({"iso3": f"CT{code}", "kind": "aggregate", "m49": str(code), "imf": "", "wits": "", "name": name})
    return out


def main() -> None:
    table = rows()
    for col in ("iso3", "m49"):
        seen = [r[col] for r in table]
        dup = {v for v in seen if seen.count(v) > 1}
        if dup:
            raise SystemExit(f"duplicate {col}: {sorted(dup)}")
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(table)
    print(f"{OUT}: {len(table)} rows")


if __name__ == "__main__":
    main()
