"""The report page's stylesheet: inline, no web fonts, readable on screen and on paper."""

from __future__ import annotations

__all__ = ["CSS", "PRINT_MARK", "print_mark_css"]

#: The words printed in the top margin of every page made from the sample.
PRINT_MARK = "SYNTHETIC SAMPLE DATA: not real publications"

CSS = """
:root {
  --ink: #1d2733; --muted: #5b6673; --line: #d9dee4; --soft: #f4f6f9;
  --accent: #1b5e8c; --up: #1e7b45; --down: #b3261e; --flat: #5f6b78; --warn: #b00020;
}
* { box-sizing: border-box; }
html { font-size: 16px; -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Liberation Sans", sans-serif;
}
.wrap { max-width: 1060px; margin: 0 auto; padding: 0 28px 48px; }
.banner {
  background: #fdecea; border-bottom: 3px solid var(--warn); color: var(--warn);
  font-weight: 700; padding: 10px 16px; text-align: center; letter-spacing: .03em;
}
header.top { border-bottom: 3px solid var(--accent); padding: 28px 0 14px; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: .78rem;
  color: var(--accent); font-weight: 700; margin: 0 0 4px; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 6px; }
.subtitle { color: var(--muted); margin: 0; }
nav.toc ol { display: flex; flex-wrap: wrap; gap: 2px 22px; list-style: none;
  padding: 0; margin: 14px 0 0; font-size: .92rem; }
nav.toc a, main a { color: var(--accent); text-decoration: none; }
nav.toc a:hover, main a:hover { text-decoration: underline; }
h2 { font-size: 1.4rem; margin: 44px 0 10px; padding-bottom: 4px;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1.06rem; margin: 26px 0 6px; }
p { margin: 8px 0; max-width: 78ch; }
.lead { font-size: 1.05rem; }
.note { font-size: .88rem; color: var(--muted); }
.pnote { display: block; font-size: .8rem; font-weight: normal; color: #8a4b00; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: 8px 0 18px; }
th, td { padding: 6px 9px; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
thead th { background: var(--soft); font-weight: 600; border-bottom: 2px solid #c3cad3;
  white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.group th { background: #fff; text-align: left; font-weight: 600; color: var(--accent);
  padding-top: 14px; border-bottom: 1px solid #c3cad3; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr));
  gap: 12px; margin: 16px 0 22px; }
.card { border: 1px solid var(--line); border-left: 4px solid var(--flat);
  border-radius: 6px; padding: 10px 14px; break-inside: avoid; }
.card.up { border-left-color: var(--up); }
.card.down { border-left-color: var(--down); }
.card.unavailable { border-left-color: var(--line); }
.card .k { font-size: .8rem; color: var(--muted); font-weight: 600; }
.card .v { font-size: 1.7rem; font-weight: 700; line-height: 1.25;
  font-variant-numeric: tabular-nums; }
.card .d { font-size: .86rem; }
.card.mixed { border-left-color: #e69f00; }
.card.good { border-left-color: var(--up); }
.card.bad { border-left-color: var(--down); }
.good .st.up, .good .st.down { color: var(--up); }
.bad .st.up, .bad .st.down { color: var(--down); }
.cards { align-items: start; }
ul.inds .d { display: inline-block; }
ul.inds .st { display: inline-block; margin-right: 4px; }
ul.inds { list-style: none; margin: 6px 0 0; padding: 0; }
ul.inds li { margin: 0 0 6px; font-size: .86rem; line-height: 1.35; }
ul.inds .n { display: block; font-weight: 600; }
ul.inds .v { font-size: 1.25rem; font-weight: 700; font-variant-numeric: tabular-nums; }
ul.inds .d, .size { color: var(--muted); }
table.yearly td .ci, table.goals td .ci, table.goals th .ci, table.summary th .ci {
  display: block; font-size: .74rem; color: var(--muted); font-weight: normal;
}
table.yearly th, table.yearly td { padding: 5px 6px; }
table.goals { font-size: .85rem; }
table.goals td:first-child { min-width: 11ch; }
table.goals .st { white-space: normal; }
table.yearly thead th { white-space: normal; vertical-align: bottom; }
ul.scope li { margin: 4px 0; max-width: 90ch; }
td.nowrap { white-space: nowrap; }
table.summary { font-size: .85rem; line-height: 1.3; }
table.summary th, table.summary td { padding: 3px 8px; }
table.summary tr.group th { padding-top: 8px; color: var(--ink); }
table.summary td:first-child { padding-left: 18px; }
.goal-status { font-weight: 600; margin-left: 8px; }
.goal-status::before { content: "● "; }
.goal-status.good { color: var(--up); }
.goal-status.bad { color: var(--down); }
.goal-status.mixed { color: #b06f00; }
.goal-status.flat, .goal-status.unavailable { color: var(--flat); }
.st { font-weight: 600; white-space: nowrap; }
.st.up { color: var(--up); }
.st.down { color: var(--down); }
.st.flat { color: var(--flat); }
.st.unavailable { color: var(--muted); font-weight: 400; }
figure { margin: 26px 0; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; width: 100%; max-width: 100%; height: auto;
  border: 1px solid var(--line); border-radius: 4px; }
figcaption { font-size: .88rem; color: var(--muted); margin-top: 6px; max-width: 90ch; }
figcaption strong { color: var(--ink); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 5px 18px;
  margin: 10px 0; font-size: .93rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono",
  monospace; font-size: .86em; background: var(--soft); padding: 1px 4px; border-radius: 3px; }
ul.methods li { margin: 4px 0; max-width: 90ch; }
footer { margin-top: 48px; padding-top: 12px; border-top: 1px solid var(--line);
  color: var(--muted); font-size: .82rem; }
@media (max-width: 640px) { .wrap { padding: 0 14px 32px; } h1 { font-size: 1.55rem; } }
@media print {
  .noprint { display: none; }  /* the interactive partner map: the figures stand for it */
  html { font-size: 10.5pt; }
  .wrap { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  table, table.goals { font-size: 8pt; }
  th, td, table.yearly th, table.yearly td { padding: 3px 4px; }
  thead th, .st { white-space: normal; }
  td { overflow-wrap: anywhere; }
  /* A figure (a year, a count, a share) never breaks across lines: "202" / "0". */
  td.num, td.nowrap { white-space: nowrap; overflow-wrap: normal; }
  /* Page 1: the title and the summary of every goal, on one A4 page. */
  header.top { padding: 0 0 8px; }
  h1 { font-size: 1.55rem; }
  #summary h2 { margin-top: 14px; }
  #summary .note { margin: 4px 0; }
  table.summary { font-size: 8pt; line-height: 1.2; margin: 4px 0 0; }
  table.summary th, table.summary td { padding: 1.5px 4px; }
  table.summary tr.group th { padding-top: 4px; }
  table.summary td:first-child { padding-left: 12px; }
  table.summary td, table.summary .st { white-space: nowrap; }
  table.summary td .pnote { white-space: normal; }  /* a policy note wraps under its label */
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  h2.newpage { break-before: page; page-break-before: always; }
  figure, .card, .cards { break-inside: avoid; page-break-inside: avoid; }
  .scroll { break-before: avoid; page-break-before: avoid; }
  table.goals, table.yearly, .scroll table { break-inside: auto; }
  .keep { break-inside: avoid; page-break-inside: avoid; }
  .banner, thead th, .card { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .scroll { overflow: visible; }
  a { color: inherit; }
  @page { size: A4; margin: 15mm 13mm; }
}
"""


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def print_mark_css(synthetic: bool) -> str:
    """Page margin boxes for print: page numbers, and the synthetic mark on every page.

    Examples
    --------
    >>> "SYNTHETIC" in print_mark_css(True), "SYNTHETIC" in print_mark_css(False)
    (True, False)
    """
    top = (
        f"@top-center {{ content: {_css_string(PRINT_MARK)}; color: #b00020; "
        "font: 700 9pt system-ui, sans-serif; }"
        if synthetic
        else ""
    )
    bottom = (
        '@bottom-right { content: "page " counter(page) " of " counter(pages); '
        "color: #5b6673; font: 8pt system-ui, sans-serif; }"
    )
    return f"\n@media print {{ @page {{ {top} {bottom} }} }}\n"
