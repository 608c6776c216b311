package briefings

import "html/template"

// pageStyle is what differs between the printable pages (a briefing, a roll-up): the
// A4 margins, the text size and the masthead's.
type pageStyle struct {
	Margin, Font, Line, Page, Masthead, Spacing, MastheadEN, Meta, Notes template.CSS
}

// pageTemplate is the frame of every printable page: an A4 sheet with the red
// masthead in the 宋体 family and 仿宋 text, self-contained (inline CSS, no fonts,
// images or scripts fetched from anywhere). A page fills in "css" (its own rules) and
// "body"; its data has Lang, DocTitle and Style.
const pageTemplate = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.DocTitle}}</title>
<style>
@page { size: A4; margin: {{.Style.Margin}}; }
* { box-sizing: border-box; }
html { background: #e8e8e8; }
body { margin: 0; color: #000; font-size: {{.Style.Font}}; line-height: {{.Style.Line}};
  font-family: "FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", "Noto Sans CJK SC", serif; }
.page { width: 210mm; min-height: 297mm; margin: 8mm auto; padding: {{.Style.Margin}}; background: #fff;
  box-shadow: 0 0 4mm rgba(0,0,0,.25);{{.Style.Page}} }
.masthead { margin: 0; text-align: center; color: #d40000; font-size: {{.Style.Masthead}}; line-height: 1.2; font-weight: bold;
  letter-spacing: {{.Style.Spacing}}; font-family: "SimSun", "宋体", "Songti SC", "STSong", "Noto Serif CJK SC", "Source Han Serif SC", "Noto Sans CJK SC", serif; }
:lang(en) .masthead { font-size: {{.Style.MastheadEN}}; letter-spacing: .02em; }
.meta { display: flex; justify-content: space-between; align-items: baseline; font-size: {{.Style.Meta}}; padding: 0 1em; }
.rule { border: 0; border-top: 2px solid #d40000; margin: 2mm 0 4mm; }
.notes { margin: 0 0 4mm; font-size: {{.Style.Notes}}; line-height: 1.6; color: #333; }
.notes p { margin: 0; }
@media print {
  html { background: none; }
  .page { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
}
{{- template "css" .}}</style>
</head>
<body>
{{template "body" .}}</body>
</html>
`

// page is the printable page named name: the frame with defs, which define "css" and
// "body".
func page(name, defs string) *template.Template {
	return template.Must(template.Must(template.New(name).Parse(pageTemplate)).Parse(defs))
}
