"""Figures as inline SVG, for self-contained HTML pages."""

from __future__ import annotations


def figure_svg(fig) -> str:
    """A matplotlib figure as an inline SVG string (the figure is closed afterwards)."""
    import io

    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]
