from mbl_open.infrastructure import progress as p


def test_environment_variable_silences_bars(monkeypatch, capsys):
    monkeypatch.setenv(p.NO_PROGRESS_ENV, "1")
    assert p.progress_disabled()
    assert list(p.progress(range(3))) == [0, 1, 2]
    assert capsys.readouterr().err == ""


def test_bars_shown_by_default(monkeypatch, capsys):
    monkeypatch.delenv(p.NO_PROGRESS_ENV, raising=False)
    assert not p.progress_disabled()
    monkeypatch.setenv(p.NO_PROGRESS_ENV, "0")
    assert not p.progress_disabled()
    list(p.progress(range(3), desc="work"))
    assert "work" in capsys.readouterr().err
