"""The bibliography and the citation registry: the .bib parses, every entry says what, when and who
published it, every preset cites only keys that exist, and the registry keeps what a run used."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from twinmotor import citations
from twinmotor.errors import ParameterError

PRESETS = sorted(p.name for p in resources.files("twinmotor").joinpath("vehicle", "presets").iterdir()
                 if p.name.endswith(".toml"))


def _preset_text(file_name: str) -> str:
    return resources.files("twinmotor").joinpath("vehicle", "presets", file_name).read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _fresh_registry():
    before = citations.used()
    citations.clear()
    yield
    citations.clear()
    citations.register(*before)


def test_the_bibliography_parses_and_holds_the_core_documents():
    bib = citations.load_bibliography()
    assert len(bib) >= 30
    for key in ("pacejka2012tire", "iso3888-2_2011", "iso4138_2021", "iso7401_2011", "fmvss126_2007",
                "unr13h_2017", "unr140_2017", "gtr15_2014", "cfr40-600_2011", "sae-j2263_2008",
                "rajamani2012vehicle", "gillespie1992fundamentals", "milliken1995race", "brooker2015fastsim",
                "nissan2019leafeplusawd", "nissan2019leafeplus", "nissan2017leaf", "nissan2018leafnismorc"):
        assert key in bib, key
    assert bib["pacejka2012tire"]["publisher"] == "Butterworth-Heinemann"
    assert bib["pacejka2012tire"]["entry_type"] == "book"


def test_load_bibliography_returns_a_copy():
    citations.load_bibliography()["pacejka2012tire"]["title"] = "changed"
    assert citations.load_bibliography()["pacejka2012tire"]["title"] == "Tire and Vehicle Dynamics"


@pytest.mark.parametrize("key", sorted(citations.load_bibliography()))
def test_every_entry_has_title_year_and_publisher(key):
    entry = citations.load_bibliography()[key]
    assert key == key.lower() and re.fullmatch(r"[a-z][a-z0-9_.:+-]*", key), key
    assert entry.get("title", "").strip(), f"{key}: no title"
    assert re.fullmatch(r"(19|20)\d\d", entry.get("year", "")), f"{key}: year {entry.get('year')!r}"
    assert any(entry.get(f, "").strip() for f in citations.PUBLISHER_FIELDS), f"{key}: no publisher"
    if "url" in entry:
        assert entry["url"].startswith("https://") and " " not in entry["url"], key


@pytest.mark.parametrize("file_name", PRESETS)
def test_every_key_cited_in_a_preset_is_in_the_bibliography(file_name):
    keys = citations.preset_keys(_preset_text(file_name))
    assert keys, f"{file_name} cites nothing"
    missing = sorted(set(keys) - set(citations.load_bibliography()))
    assert not missing, f"{file_name} cites keys missing from CITATIONS.bib: {missing}"


@pytest.mark.parametrize("file_name", PRESETS)
def test_every_preset_value_cites_a_key_or_is_an_estimate(file_name):
    text = _preset_text(file_name)
    value_lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith(("#", "["))]
    assert value_lines
    for line in value_lines:
        assert "#" in line, f"{file_name}: no comment on {line!r}"
        keys = citations.preset_keys(line)
        comment = line.split("#", 1)[1].strip()
        assert keys or "estimate" in comment, f"{file_name}: neither a cited key nor an estimate: {line!r}"
        if comment.startswith("source:"):
            assert keys, f"{file_name}: a source without a key: {line!r}"


@pytest.mark.parametrize("file_name", PRESETS)
def test_the_header_lists_every_key_the_preset_cites(file_name):
    text = _preset_text(file_name)
    header = "\n".join(ln for ln in text.splitlines() if ln.startswith("#"))
    assert "REFERENCE" not in header
    assert set(citations.preset_keys(header)) == set(citations.preset_keys(text))


def test_preset_sources_still_reads_the_comments_with_their_keys():
    from twinmotor.vehicle import preset_sources

    sources = preset_sources("leaf-e-plus-awd")
    assert citations.preset_keys("# " + sources["battery.max_discharge_power_kw"]) == ["nissan2019leafeplusawd"]
    assert sources["battery.max_discharge_power_kw"].startswith("source: [nissan2019leafeplusawd]")
    assert sources["suspension.front.spring_rate_n_m"].startswith("estimate:")


def test_register_of_an_unknown_key_raises_and_names_it():
    with pytest.raises(ParameterError, match="'pacejka2021tyre'") as err:
        citations.register("pacejka2012tire", "pacejka2021tyre")
    assert "bibliography" in str(err.value)
    assert "pacejka2012tire" in str(err.value)  # the close key is suggested
    assert citations.used() == []  # nothing recorded from a rejected call


def test_used_keeps_registration_order_without_duplicates():
    citations.register("iso3888-2_2011", "pacejka2012tire")
    citations.register("fmvss126_2007", "pacejka2012tire")
    citations.register("iso3888-2_2011")
    assert citations.used() == ["iso3888-2_2011", "pacejka2012tire", "fmvss126_2007"]
    citations.clear()
    assert citations.used() == []


def test_format_entry_is_one_line_with_author_year_title_publisher_and_url():
    line = citations.format_entry("pacejka2012tire")
    assert line == "Pacejka, Hans B. (2012). Tire and Vehicle Dynamics, 3rd ed. Butterworth-Heinemann."
    line = citations.format_entry("matheusft2026mfevaljl")
    assert line.endswith("https://github.com/matheusft/MFeval_julia") and "(2026)" in line
    assert "\n" not in line
    assert citations.format_entry("gustafsson1997slip").endswith("Automatica 33(6), 1087-1099.")
    with pytest.raises(ParameterError, match="'nope'"):
        citations.format_entry("nope")


def test_format_citations_lists_the_registered_documents():
    assert citations.format_citations() == ""
    citations.register("iso7401_2011", "gillespie1992fundamentals")
    lines = citations.format_citations().splitlines()
    assert [ln.split("]")[0] for ln in lines] == ["[iso7401_2011", "[gillespie1992fundamentals"]
    assert citations.format_citations(["milliken1995race"]).startswith("[milliken1995race] Milliken, William F.")


def test_preset_keys_reads_only_comments():
    text = ('[aero]  # table header, not a citation\n'
            'name = "[not_a_key]"  # source: [nissan2017leaf] model name\n'
            'x = 1.0  # estimate: scaled [pacejka2006tyre; gillespie1992fundamentals] and [nissan2017leaf]\n'
            'y = [1, 2]  # estimate: an array value, no key\n')
    assert citations.preset_keys(text) == ["nissan2017leaf", "pacejka2006tyre", "gillespie1992fundamentals"]


def test_parse_bibtex_reads_the_subset_the_file_uses():
    text = """% a comment line with @ in it
@comment{ignored {entirely}}
@Book{Key1,
  Title = {A {Nested} title
           over two lines},
  publisher = "Quoted",
  year = 2012,
}
@misc{key2, title = {T}, organization = {O}, year = {1999}}
"""
    bib = citations.parse_bibtex(text)
    assert bib == {
        "Key1": {"entry_type": "book", "title": "A {Nested} title over two lines", "publisher": "Quoted",
                 "year": "2012"},
        "key2": {"entry_type": "misc", "title": "T", "organization": "O", "year": "1999"},
    }
    with pytest.raises(ParameterError, match="given twice"):
        citations.parse_bibtex(text + "@misc{key2, title = {again}}")
    with pytest.raises(ParameterError, match="line 1"):
        citations.parse_bibtex("@misc{key3, title = {unclosed}")
