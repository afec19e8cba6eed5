"""Source ids become publishers' names in reader text."""

from turnover.text import sources


def test_source_ids_become_publisher_names():
    assert sources.name_of("imf_dots") == "IMF DOTS"
    assert sources.name_of("wb_wits") == "WITS"
    assert sources.name_of("national_statistics", "bns_kz_by_partner") == "BNS"
    assert sources.name_of("national_statistics") == "national statistics"
    assert sources.name_of("bns_kz_by_partner") == "BNS"  # an id alone
    assert sources.in_words("imf_dots then national_statistics") == "IMF DOTS then national statistics"
    assert sources.in_words("primary official_release: True; wb_wits: False") == \
        "primary official releases: True; WITS: False"
    # other snake_case words are not source ids and stay
    assert sources.in_words("publication_lag_days") == "publication_lag_days"
    assert sources.in_words(None) == ""

