"""The .tir reader: the TNO/Delft property file syntax and its error messages."""

import pytest

from twinmotor.errors import TireFileError
from twinmotor.tire import builtin_names, read_tir

GOOD = """$--------------------------------------------------------------------- header
[MDI_HEADER]
FILE_TYPE                ='tir'
FILE_VERSION             = 3.0
FILE_FORMAT              = "ASCII"   $ double quotes are strings too
! a comment line with '!'
[UNITS]
LENGTH                   ='meter'
[MODEL]                                $ section header with a trailing comment
FITTYP                   = 61          $Magic Formula 6.1
TYRESIDE                 = LEFT        ! an unquoted word outside numeric sections is a string
PROPERTY_FILE_FORMAT     ='USER'
COMMENT                  ='price $5 ! not a comment inside quotes'
LONGVL                   = 16.7

[DIMENSION]
UNLOADED_RADIUS          = 0.3135      $Free tyre radius
WIDTH                    = 0.205
[SHAPE]
{radial width}
 1.0    0.0
 1.0    0.4
 0.9    0.9  $ rows of numbers under a table header are skipped
[VERTICAL]
FNOMIN                   = 4000
[ROLLING_COEFFICIENTS]
QSY4                     = 4e-05
qsy1                     = -1.5E-2
"""


def write(tmp_path, text, name="t.tir"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_reads_comments_quotes_and_trailing_comments(tmp_path):
    tf = read_tir(write(tmp_path, GOOD))
    assert tf.fittyp == 61
    v = tf.values
    assert v["FILE_TYPE"] == "tir" and v["FILE_FORMAT"] == "ASCII" and v["TYRESIDE"] == "LEFT"
    assert v["COMMENT"] == "price $5 ! not a comment inside quotes"
    assert v["FILE_VERSION"] == 3.0 and v["LONGVL"] == 16.7 and v["UNLOADED_RADIUS"] == 0.3135
    assert v["QSY4"] == pytest.approx(4e-05, rel=1e-15)
    assert v["QSY1"] == -0.015  # keys are upper case
    assert tf.sections["VERTICAL"] == {"FNOMIN": 4000.0}
    assert set(tf.sections) == {"MDI_HEADER", "UNITS", "MODEL", "DIMENSION", "SHAPE", "VERTICAL",
                                "ROLLING_COEFFICIENTS"}


def test_both_shipped_files_load():
    assert {"mf61_example.tir", "pacejka2006_205_60r15.tir"} <= set(builtin_names())
    ex = read_tir("builtin:mf61_example.tir")
    assert ex.fittyp == 61
    assert ex.values["FNOMIN"] == 6752.0 and ex.values["UNLOADED_RADIUS"] == 0.3943
    assert ex.values["PKY4"] == 2.7364 and ex.values["QSY4"] == 4e-05
    assert ex.values["TYRESIDE"] == "RIGHT"
    pj = read_tir("builtin:pacejka2006_205_60r15.tir")
    assert pj.fittyp == 61
    assert pj.values["PDY1"] == -0.99 and pj.values["PKY1"] == -14.95 and pj.values["FNOMIN"] == 4000.0


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("[MODEL]\nFITTYP = 61\nthis is not a tir line\n", 3, ["cannot read", "this is not"]),
        ("[MODEL]\nFITTYP = 61\n[LONGITUDINAL_COEFFICIENTS]\nPCX1 = 1.5x\n", 4, ["PCX1", "1.5x", "not a number"]),
        ("[VERTICAL]\nFNOMIN = four\n[MODEL]\nFITTYP = 61\n", 2, ["FNOMIN", "not a number"]),
        ("FITTYP = 61\n[MODEL]\n", 1, ["FITTYP", "before the first [SECTION]"]),
        ("[MODEL]\nFITTYP = 5\n", 2, ["FITTYP", "not supported", "61"]),
        ("[MODEL]\nFITTYP = 61\nLONGVL = 16\nLONGVL = 17\n", 4, ["LONGVL", "twice", "line 3"]),
        ("[MODEL]\nFITTYP = 61\nTYRESIDE = 'LEFT\n", 3, ["TYRESIDE", "closing"]),
        ("[MODEL]\nFITTYP = 61\n[ALIGNING_COEFFICIENTS]\nQBZ1 = nan\n", 4, ["QBZ1", "finite"]),
    ],
)
def test_errors_name_file_line_and_key(tmp_path, text, line, words):
    path = write(tmp_path, text, "bad_tire.tir")
    with pytest.raises(TireFileError) as info:
        read_tir(path)
    message = str(info.value)
    assert info.value.line == line
    assert f"bad_tire.tir:{line}:" in message
    for word in words:
        assert word in message


def test_missing_fittyp_is_an_error(tmp_path):
    with pytest.raises(TireFileError, match="FITTYP is missing"):
        read_tir(write(tmp_path, "[VERTICAL]\nFNOMIN = 4000\n"))


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(TireFileError, match="nowhere.tir") as info:
        read_tir(tmp_path / "nowhere.tir")
    assert "not found" in str(info.value) and info.value.line is None


def test_unknown_builtin_lists_the_shipped_files():
    with pytest.raises(TireFileError, match="mf61_example.tir"):
        read_tir("builtin:no_such_tire.tir")


def test_a_file_is_parsed_once_yet_each_caller_gets_its_own_copy_and_a_changed_file_is_read_again(tmp_path):
    path = tmp_path / "tire.tir"
    path.write_text(GOOD)
    first = read_tir(path)
    first.values["LONGVL"] = -1.0  # a caller's change stays with the caller
    first.sections["MODEL"]["LONGVL"] = -1.0
    again = read_tir(path)
    assert again.values["LONGVL"] == 16.7 and again.sections["MODEL"]["LONGVL"] == 16.7
    path.write_text(GOOD.replace("LONGVL                   = 16.7", "LONGVL                   = 20.0"))
    changed = read_tir(path)
    assert changed.values["LONGVL"] == 20.0 and changed.sections["MODEL"]["LONGVL"] == 20.0
