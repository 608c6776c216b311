package briefings

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
)

// The ledger reports' user-facing strings.
var (
	strMonthly       = text{ZH: "重大事项工作月报", EN: "Major Matters Monthly Report"}
	strAnnual        = text{ZH: "重大事项工作年报", EN: "Major Matters Annual Report"}
	strPeriodic      = text{ZH: "重大事项工作报告", EN: "Major Matters Report"}
	strMonthlyTitle  = text{ZH: "%d年%d月重大事项工作月报", EN: "Major Matters Monthly Report, %[3]s %[1]d"}
	strAnnualTitle   = text{ZH: "%d年度重大事项工作年报", EN: "Major Matters Annual Report %d"}
	strStatsAsOf     = text{ZH: "逾期及在办事项统计截至：%s", EN: "Overdue and open items as of %s"}
	strStatsScope    = text{ZH: "范围：报送%s的事项", EN: "Scope: matters before the %s"}
	strStatsRestrict = text{ZH: "另含限定知悉范围事项 %d 件，仅计入数字，不列内容。", EN: "%d restricted matters are counted in the figures but not described."}
	strSecDepts      = text{ZH: "各部门工作情况", EN: "Departments"}
	strSecComms      = text{ZH: "批示和简报情况", EN: "Instructions and briefings"}
	strSecOnTime     = text{ZH: "按时办结率", EN: "On-time completion"}
	strSecTrend      = text{ZH: "在办事项走势", EN: "Open items"}
	strChartOnTime   = text{ZH: "各部门按时办结率（%）", EN: "On-time completion by department (%)"}
	strChartTrend    = text{ZH: "在办事项数量走势", EN: "Open items over time"}
	strNoAssignments = text{ZH: "本期无办结销号的交办事项。", EN: "No assignment was closed out in the period."}
	strColDept       = text{ZH: "部门", EN: "Department"}
	strColScore      = text{ZH: "得分", EN: "Score"}
	strColAnswered   = text{ZH: "按时答复", EN: "Answered on time"}
	strColCompleted  = text{ZH: "按时办结", EN: "Completed on time"}
	strColOverdue    = text{ZH: "当前逾期", EN: "Overdue now"}
	strColAvgWork    = text{ZH: "平均办结（工作日）", EN: "Avg. working days to close"}
	strColAvgCal     = text{ZH: "平均办结（天）", EN: "Avg. days to close"}
	strColReturns    = text{ZH: "退办", EN: "Sent back"}
	strColExtensions = text{ZH: "延期", EN: "Extensions"}
	strColCommittee  = text{ZH: "机构", EN: "Body"}
	strColBriefings  = text{ZH: "简报（期）", EN: "Briefings"}
	strColInstructed = text{ZH: "批示（件）", EN: "Instructions"}
	strColOpen       = text{ZH: "在办（件）", EN: "Open items"}
	strColDate       = text{ZH: "日期", EN: "Date"}
	strScoreNote     = text{ZH: "得分 = %s + %s×按时办结率 + %s×按时答复率 − %s×当前逾期 − %s×退办 − %s×延期，限 0–100 分；无可计事项的比率按 100%% 计。", EN: "Score = %s + %s × on-time completion + %s × on-time answers − %s × overdue now − %s × sent back − %s × extensions, within 0–100; a rate with nothing to measure counts as 100%%."}
	strMrkScore      = text{ZH: "得分 %s", EN: "score %s"}
	strMrkSubmit     = text{ZH: "报送 请示%d 报告%d 报备%d", EN: "submitted %d requests, %d reports, %d filings"}
	strMrkAnswer     = text{ZH: "按时答复 %d/%d", EN: "answered on time %d/%d"}
	strMrkDone       = text{ZH: "按时办结 %d/%d", EN: "completed on time %d/%d"}
	strMrkOverdue    = text{ZH: "逾期 %d", EN: "overdue %d"}
	strMrkAvg        = text{ZH: "平均办结 %s", EN: "avg. to close %s"}
	strMrkRet        = text{ZH: "退办 %d", EN: "sent back %d"}
	strMrkExt        = text{ZH: "延期 %d", EN: "extensions %d"}
	strMrkComm       = text{ZH: "简报 %d 期 · 批示 %d 件 · 在办 %d 件", EN: "%d briefings · %d instructions · %d open"}
	strDash          = text{ZH: "—", EN: "—"}
	strNone          = text{ZH: "无", EN: "none"}
)

func (s *Stats) tr(t text, args ...any) string { return tr(s.Lang, t, args...) }

func (s *Stats) date(t time.Time) string {
	return t.In(s.Location).Format(layoutDate.In(s.Lang))
}

// period is 统计区间：<first day> 至 <last day> (To is exclusive).
func (s *Stats) period() string {
	last := s.To.Add(-time.Nanosecond)
	return s.tr(strPeriod, s.date(s.From), s.date(last))
}

// compiler is the report's compiling office: 中共某市委政法委员会办公室编.
func (s *Stats) compiler() string {
	if s.Office == "" {
		return s.tr(strCompiledByOff, s.tr(strOffice))
	}
	return s.tr(strCompiledByOff, s.Office)
}

// meta are the lines under the title: period, as-of, scope, restricted note.
func (s *Stats) meta() []string {
	ls := []string{s.period(), s.tr(strStatsAsOf, s.Now.In(s.Location).Format(layoutDateTime.In(s.Lang)))}
	if s.CommitteeName != "" {
		ls = append(ls, s.tr(strStatsScope, s.CommitteeName))
	}
	if s.Restricted > 0 {
		ls = append(ls, s.tr(strStatsRestrict, s.Restricted))
	}
	if s.Anchor != "" {
		ls = append(ls, s.tr(strAnchor)+s.Anchor)
	}
	return ls
}

func (s *Stats) avg(d *DeptStats) string {
	if d.Closed == 0 {
		return s.tr(strDash)
	}
	return num(d.AvgDaysToClose)
}

func (s *Stats) avgHeader() string {
	if s.CalendarDays {
		return s.tr(strColAvgCal)
	}
	return s.tr(strColAvgWork)
}

func (s *Stats) scoreNote() string {
	c := s.Scoring
	return s.tr(strScoreNote, num(c.Base), num(c.OnTimeWeight), num(c.AnsweredWeight), num(c.OverduePenalty), num(c.ReturnPenalty), num(c.ExtensionPenalty))
}

func frac(n, of int) string { return strconv.Itoa(n) + "/" + strconv.Itoa(of) }

// deptRow is a department's figures as table cells (name first).
func (s *Stats) deptRow(d *DeptStats) []string {
	return []string{d.Name, num(d.Score),
		strconv.Itoa(d.Submitted[briefbot.KindRequest]), strconv.Itoa(d.Submitted[briefbot.KindReport]), strconv.Itoa(d.Submitted[briefbot.KindFiling]),
		frac(d.AnsweredOnTime, d.Requests), frac(d.CompletedOnTime, d.Assignments), strconv.Itoa(d.OverdueNow),
		s.avg(d), strconv.Itoa(d.Returns), strconv.Itoa(d.Extensions)}
}

func (s *Stats) deptHeader() []string {
	return []string{s.tr(strColDept), s.tr(strColScore),
		briefbot.KindRequest.Label(s.Lang), briefbot.KindReport.Label(s.Lang), briefbot.KindFiling.Label(s.Lang),
		s.tr(strColAnswered), s.tr(strColCompleted), s.tr(strColOverdue), s.avgHeader(), s.tr(strColReturns), s.tr(strColExtensions)}
}

func (s *Stats) commHeader() []string {
	return []string{s.tr(strColCommittee), s.tr(strColBriefings), s.tr(strColInstructed), s.tr(strColOpen)}
}

func commRow(c *CommitteeStats) []string {
	return []string{c.Name, strconv.Itoa(c.Briefings), strconv.Itoa(c.Instructions), strconv.Itoa(c.OpenItems)}
}

// OnTimeChart is the bar chart of on-time completion (percent) of the departments
// that had assignments closed out in the period, in the report's order.
func (s *Stats) OnTimeChart() string {
	var labels []string
	var values []float64
	for i := range s.Departments {
		d := &s.Departments[i]
		if d.Assignments == 0 {
			continue
		}
		labels = append(labels, d.Name)
		values = append(values, 100*float64(d.CompletedOnTime)/float64(d.Assignments))
	}
	return BarChartSVG(s.tr(strChartOnTime), labels, values, 100)
}

// TrendChart is the line chart of open items.
func (s *Stats) TrendChart() string { return TrendSVG(s.tr(strChartTrend), s.Trend, s.Location) }

func (s *Stats) hasAssignments() bool {
	for i := range s.Departments {
		if s.Departments[i].Assignments > 0 {
			return true
		}
	}
	return false
}

// Mrkdwn renders the report as one Slack mrkdwn text: a line per department and per
// committee, and the trend. Every name in it is escaped.
func (s *Stats) Mrkdwn() string {
	var w strings.Builder
	sep := escape(s.tr(strFieldSep))
	w.WriteString("*" + escape(s.Title) + "*\n")
	w.WriteString(escape(s.compiler()) + "\n")
	for _, l := range s.meta() {
		w.WriteString(escape(l) + "\n")
	}
	w.WriteString("\n*" + escape(s.tr(strSecDepts)) + "*\n")
	for i := range s.Departments {
		d := &s.Departments[i]
		w.WriteString(strconv.Itoa(i+1) + ". *" + escape(d.Name) + "* " + escape(s.tr(strMrkScore, num(d.Score))) + sep)
		parts := []string{
			s.tr(strMrkSubmit, d.Submitted[briefbot.KindRequest], d.Submitted[briefbot.KindReport], d.Submitted[briefbot.KindFiling]),
			s.tr(strMrkAnswer, d.AnsweredOnTime, d.Requests), s.tr(strMrkDone, d.CompletedOnTime, d.Assignments),
			s.tr(strMrkOverdue, d.OverdueNow), s.tr(strMrkAvg, s.avg(d)), s.tr(strMrkRet, d.Returns), s.tr(strMrkExt, d.Extensions),
		}
		for j, p := range parts {
			if j > 0 {
				w.WriteString(sep)
			}
			w.WriteString(escape(p))
		}
		w.WriteString("\n")
	}
	if len(s.Committees) > 0 {
		w.WriteString("\n*" + escape(s.tr(strSecComms)) + "*\n")
		for i := range s.Committees {
			c := &s.Committees[i]
			w.WriteString("*" + escape(c.Name) + "* " + escape(s.tr(strMrkComm, c.Briefings, c.Instructions, c.OpenItems)) + "\n")
		}
	}
	w.WriteString("\n*" + escape(s.tr(strSecTrend)) + "*\n")
	if len(s.Trend) == 0 {
		w.WriteString(escape(s.tr(strNone)) + "\n")
	}
	for i, p := range s.Trend {
		if i > 0 {
			w.WriteString(sep)
		}
		t := p.At.In(s.Location)
		w.WriteString(strconv.Itoa(int(t.Month())) + "/" + strconv.Itoa(t.Day()) + " " + strconv.Itoa(p.Open))
	}
	if len(s.Trend) > 0 {
		w.WriteString("\n")
	}
	w.WriteString("\n_" + escape(s.scoreNote()) + "_\n")
	return w.String()
}

// Markdown renders the report (月报/年报) as a Markdown document: GFM tables and the
// two charts as raw inline <svg> blocks. Names are backslash-escaped.
func (s *Stats) Markdown() string {
	var w strings.Builder
	w.WriteString("# " + escapeMarkdown(s.Title) + "\n\n")
	w.WriteString(escapeMarkdown(s.compiler()))
	for _, l := range s.meta() {
		w.WriteString("\\\n" + escapeMarkdown(l))
	}
	w.WriteString("\n")
	table := func(head []string, rows [][]string) {
		w.WriteString("\n|")
		for _, h := range head {
			w.WriteString(" " + escapeMarkdown(h) + " |")
		}
		w.WriteString("\n|")
		for i := range head {
			if i == 0 {
				w.WriteString(" --- |")
			} else {
				w.WriteString(" ---: |")
			}
		}
		w.WriteString("\n")
		for _, r := range rows {
			w.WriteString("|")
			for _, c := range r {
				w.WriteString(" " + escapeMarkdown(c) + " |")
			}
			w.WriteString("\n")
		}
	}
	n := 0
	section := func(t text) {
		w.WriteString("\n## " + escapeMarkdown(sectionNumber(s.Lang, n)+s.tr(t)) + "\n")
		n++
	}
	section(strSecDepts)
	var rows [][]string
	for i := range s.Departments {
		rows = append(rows, s.deptRow(&s.Departments[i]))
	}
	table(s.deptHeader(), rows)
	w.WriteString("\n" + escapeMarkdown(s.scoreNote()) + "\n")
	if len(s.Committees) > 0 {
		section(strSecComms)
		rows = rows[:0]
		for i := range s.Committees {
			rows = append(rows, commRow(&s.Committees[i]))
		}
		table(s.commHeader(), rows)
	}
	section(strSecOnTime)
	if s.hasAssignments() {
		w.WriteString("\n" + s.OnTimeChart() + "\n")
	} else {
		w.WriteString("\n" + escapeMarkdown(s.tr(strNoAssignments)) + "\n")
	}
	section(strSecTrend)
	w.WriteString("\n" + s.TrendChart() + "\n")
	rows = rows[:0]
	for _, p := range s.Trend {
		rows = append(rows, []string{s.date(p.At), strconv.Itoa(p.Open)})
	}
	table([]string{s.tr(strColDate), s.tr(strColOpen)}, rows)
	return w.String()
}

// HTML renders the report as a complete printable A4 page laid out like the briefing
// page: the red masthead (重大事项工作月报 / 年报), the period and the compiling office
// over a red rule, the tables, and the two charts inline as <svg>. It fetches nothing.
func (s *Stats) HTML() string {
	p := statsPage{Style: statsStyle, Lang: "zh-CN", DocTitle: s.Title, Masthead: s.Masthead, Title: s.Title, Compiler: s.compiler(),
		Date: s.date(s.Now), Notes: s.meta(), ScoreNote: s.scoreNote(), DeptHead: s.deptHeader(), CommHead: s.commHeader(),
		TrendChart: template.HTML(s.TrendChart())} // our own SVG, its text escaped by svgEscape
	if s.Lang == briefbot.LangEN {
		p.Lang = "en"
	}
	n := 0
	next := func(t text) string { n++; return sectionNumber(s.Lang, n-1) + s.tr(t) }
	p.DeptTitle = next(strSecDepts)
	for i := range s.Departments {
		p.Depts = append(p.Depts, s.deptRow(&s.Departments[i]))
	}
	if len(s.Committees) > 0 {
		p.CommTitle = next(strSecComms)
		for i := range s.Committees {
			p.Comms = append(p.Comms, commRow(&s.Committees[i]))
		}
	}
	p.OnTimeTitle = next(strSecOnTime)
	if s.hasAssignments() {
		p.OnTimeChart = template.HTML(s.OnTimeChart())
	} else {
		p.NoAssignments = s.tr(strNoAssignments)
	}
	p.TrendTitle = next(strSecTrend)
	var w strings.Builder
	if err := statsTemplate.Execute(&w, p); err != nil {
		panic("briefings: stats html template: " + err.Error())
	}
	return w.String()
}

type statsPage struct {
	Style                                           pageStyle
	Lang, DocTitle, Masthead, Title, Compiler, Date string
	Notes                                           []string
	DeptTitle, CommTitle, OnTimeTitle, TrendTitle   string
	DeptHead, CommHead                              []string
	Depts, Comms                                    [][]string
	ScoreNote, NoAssignments                        string
	OnTimeChart, TrendChart                         template.HTML
}

// statsStyle is the page of a roll-up: narrower margins for its tables.
var statsStyle = pageStyle{Margin: "30mm 20mm 30mm 20mm", Font: "14pt", Line: "1.6",
	Masthead: "36pt", Spacing: ".1em", MastheadEN: "28pt", Meta: "13pt", Notes: "11pt"}

var statsTemplate = page("stats", `{{define "css"}}
.title { margin: 2mm 0 4mm; text-align: center; font-size: 15pt; }
h2 { margin: 6mm 0 2mm; font-size: 15pt; font-weight: bold;
  font-family: "SimHei", "黑体", "STHeiti", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; }
table { width: 100%; border-collapse: collapse; font-size: 10.5pt; line-height: 1.4; }
th, td { border: 1px solid #999; padding: 1mm 1.5mm; }
th { background: #f3f3f3; font-weight: bold; }
td.n { text-align: right; white-space: nowrap; }
.note { font-size: 10.5pt; color: #333; margin: 2mm 0 0; }
.chart { margin: 2mm 0; text-align: center; break-inside: avoid; page-break-inside: avoid; }
.chart svg { max-width: 100%; height: auto; }
{{end}}{{define "body"}}<div class="page">
<header>
<h1 class="masthead">{{.Masthead}}</h1>
<p class="title">{{.Title}}</p>
<div class="meta"><span>{{.Compiler}}</span><span>{{.Date}}</span></div>
<hr class="rule">
<div class="notes">{{range .Notes}}<p>{{.}}</p>{{end}}</div>
</header>
<main>
<section>
<h2>{{.DeptTitle}}</h2>
<table class="depts">
<tr>{{range .DeptHead}}<th>{{.}}</th>{{end}}</tr>
{{- range .Depts}}
<tr>{{range $i, $c := .}}{{if $i}}<td class="n">{{$c}}</td>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>
{{- end}}
</table>
<p class="note">{{.ScoreNote}}</p>
</section>
{{- if .CommTitle}}
<section>
<h2>{{.CommTitle}}</h2>
<table class="committees">
<tr>{{range .CommHead}}<th>{{.}}</th>{{end}}</tr>
{{- range .Comms}}
<tr>{{range $i, $c := .}}{{if $i}}<td class="n">{{$c}}</td>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>
{{- end}}
</table>
</section>
{{- end}}
<section>
<h2>{{.OnTimeTitle}}</h2>
{{- if .OnTimeChart}}
<div class="chart ontime">{{.OnTimeChart}}</div>
{{- else}}
<p>{{.NoAssignments}}</p>
{{- end}}
</section>
<section>
<h2>{{.TrendTitle}}</h2>
<div class="chart trend">{{.TrendChart}}</div>
</section>
</main>
</div>
{{end}}`)
