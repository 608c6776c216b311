package briefings_test

import (
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
)

// The ledger-report data set: November 2026 (Sunday 1 to Monday 30 November; working
// days are Monday to Friday, see workingDays), reported on Tuesday 1 December at 09:00.

const statsSecret = "ELK4410" // in the title and body of the restricted matter

func nov(day, hour int) time.Time {
	return time.Date(2026, time.November, day, hour, 0, 0, 0, shanghai)
}

var statsNow = time.Date(2026, time.December, 1, 9, 0, 0, 0, shanghai)

func sendBack(t time.Time) briefbot.Step {
	return briefbot.Step{Action: briefbot.ActionSendBack, Reason: "材料不全，请补充。", At: t}
}
func askExtension(t, to time.Time) briefbot.Step {
	return briefbot.Step{Action: briefbot.ActionRequestExtension, Actor: "zhou", Department: "criminal", Text: "需补充调查。", Deadline: to, At: t}
}
func grantExtension(t time.Time) briefbot.Step {
	return briefbot.Step{Action: briefbot.ActionGrantExtension, At: t}
}

// statsFixture is the data set; the comments give each matter's part in the figures.
func statsFixture(tb testing.TB) []*briefbot.Matter {
	b := newBuilder(tb)
	req := func(dept briefbot.DepartmentID, sub briefbot.MemberID, title string, answerBy time.Time) *briefbot.Matter {
		return &briefbot.Matter{Kind: briefbot.KindRequest, Department: dept, Submitter: sub, Title: title,
			RequestedItem: title, AnswerBy: answerBy}
	}
	rep := func(dept briefbot.DepartmentID, sub briefbot.MemberID, title string) *briefbot.Matter {
		return &briefbot.Matter{Kind: briefbot.KindReport, ReportType: briefbot.ReportSituation, Department: dept, Submitter: sub, Title: title, Body: title}
	}
	var ms []*briefbot.Matter
	add := func(m *briefbot.Matter) { ms = append(ms, m) }

	// --- 刑事审判庭 (criminal) ---
	// C1: request, answered on time (4 Nov <= 6 Nov), assignment completed on time
	// (18 Nov <= 20 Nov), closed 20 Nov: 12 working days from the instruction (4 Nov).
	add(b.submit(req("criminal", "zhou", "关于C1的请示", nov(6, 18)), nov(2, 9),
		register(nov(2, 10)), instruct(nov(4, 10), "zhao", "同意。"),
		refer(nov(4, 11), "criminal", nov(20, 18)), complete(nov(18, 10), "criminal", "已办结。"), closeOut(nov(20, 10))))
	// C2: request answered late (13 Nov > 12 Nov); extension to 27 Nov 18:00 granted,
	// completion sent back once (退办), completed again 27 Nov 17:00 (on time against
	// the extended deadline), closed 30 Nov: 11 working days from 13 Nov.
	add(b.submit(req("criminal", "zhou", "关于C2的请示", nov(12, 18)), nov(10, 9),
		register(nov(10, 10)), instruct(nov(13, 9), "zhao", "同意，抓紧办理。"),
		refer(nov(13, 10), "criminal", nov(20, 18)), askExtension(nov(19, 9), nov(27, 18)), grantExtension(nov(19, 12)),
		complete(nov(26, 10), "criminal", "已办结。"), sendBack(nov(26, 15)),
		complete(nov(27, 17), "criminal", "已补充办结。"), closeOut(nov(30, 10))))
	// C3: report, read: submitted, nothing else.
	add(b.submit(rep("criminal", "zhou", "关于C3的报告"), nov(16, 9), register(nov(16, 10)), read(nov(17, 9), "zhao")))
	// C4: filing submitted in October: open all month, not submitted in the period.
	add(b.submit(&briefbot.Matter{Kind: briefbot.KindFiling, Department: "criminal", Submitter: "zhou", Title: "关于C4的报备"},
		time.Date(2026, 10, 20, 9, 0, 0, 0, shanghai)))
	// C5: October request still unanswered, answer deadline 25 Nov: overdue now.
	add(b.submit(req("criminal", "zhou", "关于C5的请示", nov(25, 18)), time.Date(2026, 10, 28, 9, 0, 0, 0, shanghai),
		register(time.Date(2026, 10, 28, 10, 0, 0, 0, shanghai))))

	// --- 民事审判庭 (civil) ---
	// V1: report to the commission, copied to the party group; instructed by the
	// commission's leader; assignment completed late (16 Nov > 12 Nov), closed 17 Nov:
	// 8 working days from 5 Nov.
	v1 := rep("civil", "zheng", "关于V1的报告")
	v1.Addressee, v1.Copied = "pl", []briefbot.CommitteeID{"party"}
	add(b.submit(v1, nov(3, 9), register(nov(3, 10)), instruct(nov(5, 9), "sun", "请民事审判庭研究落实。"),
		refer(nov(5, 10), "civil", nov(12, 18)), complete(nov(16, 9), "civil", "已办结。"), closeOut(nov(17, 9))))
	// V2: restricted request, awaiting (answer by 4 Dec: not overdue).
	v2 := req("civil", "zheng", "关于"+statsSecret+"的请示", time.Date(2026, 12, 4, 18, 0, 0, 0, shanghai))
	v2.Body, v2.Restricted = statsSecret+"-BODY", []briefbot.MemberID{"zhao"}
	add(b.submit(v2, nov(24, 9), register(nov(24, 10))))
	// V3: filing, archived the next day.
	add(b.submit(&briefbot.Matter{Kind: briefbot.KindFiling, Department: "civil", Submitter: "zheng", Title: "关于V3的报备"},
		nov(25, 9), briefbot.Step{Action: briefbot.ActionArchive, At: nov(26, 9)}))
	// V4: September report, assignment to civil due 10 Nov, still in progress: overdue now.
	add(b.submit(rep("civil", "zheng", "关于V4的报告"), time.Date(2026, 9, 1, 9, 0, 0, 0, shanghai),
		register(time.Date(2026, 9, 1, 10, 0, 0, 0, shanghai)), instruct(time.Date(2026, 9, 10, 9, 0, 0, 0, shanghai), "wang", "请抓紧。"),
		refer(time.Date(2026, 9, 10, 10, 0, 0, 0, shanghai), "civil", nov(10, 18)),
		progress(time.Date(2026, 10, 1, 9, 0, 0, 0, shanghai), "civil", "正在推进。")))

	// --- 执行局 (enforce) ---
	// E1: request without answer deadline, read (on time), closed 11 Nov without a
	// written instruction: no days-to-close, no assignment.
	add(b.submit(req("enforce", "feng", "关于E1的请示", time.Time{}), nov(9, 9),
		register(nov(9, 10)), read(nov(10, 9), "zhao"), closeOut(nov(11, 9))))
	// E2: request answered on time (23 Nov 17:00 <= 18:00), instructed, not referred.
	add(b.submit(req("enforce", "feng", "关于E2的请示", nov(23, 18)), nov(20, 9),
		register(nov(20, 10)), instruct(nov(23, 17), "wang", "同意。")))

	// --- 司法警察支队 (police), to the commission only ---
	// P1: request answered late (9 Nov > 6 Nov), instructed.
	p1 := req("police", "chen", "关于P1的请示", nov(6, 18))
	p1.Addressee = "pl"
	add(b.submit(p1, nov(5, 9), register(nov(5, 10)), briefbot.Step{Action: briefbot.ActionInstruct, Actor: "li", OnBehalfOf: "sun", Text: "同意。", At: nov(9, 9)}))

	// A draft: never counted.
	add(b.draft(&briefbot.Matter{Kind: briefbot.KindRequest, Department: "criminal", Title: "草稿"}))
	return ms
}

func statsOptions() briefings.StatsOptions {
	from, to := briefings.MonthPeriod(2026, time.November, shanghai)
	return briefings.StatsOptions{
		Org: testOrg(), From: from, To: to, Now: statsNow, Location: shanghai, WorkingDays: workingDays,
		Scoring: briefings.DefaultScoring(), BriefingsIssued: map[briefbot.CommitteeID]int{"party": 4, "pl": 2}, Viewer: "qian",
	}
}

func TestPeriods(t *testing.T) {
	from, to := briefings.MonthPeriod(2026, time.November, shanghai)
	if !from.Equal(nov(1, 0)) || !to.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, shanghai)) {
		t.Errorf("MonthPeriod = %v, %v", from, to)
	}
	from, to = briefings.YearPeriod(2026, shanghai)
	if !from.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, shanghai)) || !to.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, shanghai)) {
		t.Errorf("YearPeriod = %v, %v", from, to)
	}
}

func TestComputeStatsHandChecked(t *testing.T) {
	s := briefings.ComputeStats(statsFixture(t), statsOptions())
	if s.Title != "2026年11月重大事项工作月报" || s.Masthead != "重大事项工作月报" || s.Yearly {
		t.Errorf("title %q masthead %q yearly %v", s.Title, s.Masthead, s.Yearly)
	}
	type kinds struct{ req, rep, fil int }
	type want struct {
		name                   string
		sub                    kinds
		requests, answered     int
		assignments, completed int
		overdue                int
		avg                    float64
		returns, extensions    int
		score                  float64
	}
	// Scores under DefaultScoring: 20 + 60×completed/assignments + 20×answered/requests
	// − 5×overdue − 2×returns − 1×extensions (an empty share counts as 1).
	wants := []want{
		// 执行局: E1 and E2 answered on time; no assignment; nothing overdue.
		// 20 + 60×1 + 20×2/2 = 100.
		{"执行局", kinds{2, 0, 0}, 2, 2, 0, 0, 0, 0, 0, 0, 100},
		// 刑事审判庭: C1 on time, C2 late → 1/2; C1 and C2 completed on time → 2/2; C5
		// overdue; one 退办 and one extension (C2); days to close (12 + 11) / 2.
		// 20 + 60×2/2 + 20×1/2 − 5×1 − 2×1 − 1×1 = 20 + 60 + 10 − 8 = 82.
		{"刑事审判庭", kinds{2, 1, 0}, 2, 1, 2, 2, 1, 11.5, 0, 0, 82},
		// 司法警察支队: P1 answered late → 0/1; no assignment.
		// 20 + 60×1 + 20×0 = 80.
		{"司法警察支队", kinds{1, 0, 0}, 1, 0, 0, 0, 0, 0, 0, 0, 80},
		// 民事审判庭: V1, V2, V3 submitted; no request answered (V2 awaits) → share 1; V1
		// completed late → 0/1; V4 overdue; V1 closed after 8 working days.
		// 20 + 60×0 + 20×1 − 5×1 = 35.
		{"民事审判庭", kinds{1, 1, 1}, 0, 0, 1, 0, 1, 8, 0, 0, 35},
	}
	wants[1].returns, wants[1].extensions = 1, 1
	if len(s.Departments) != len(wants) {
		t.Fatalf("%d departments, want %d", len(s.Departments), len(wants))
	}
	for i, w := range wants {
		d := s.Departments[i]
		got := want{d.Name, kinds{d.Submitted[briefbot.KindRequest], d.Submitted[briefbot.KindReport], d.Submitted[briefbot.KindFiling]},
			d.Requests, d.AnsweredOnTime, d.Assignments, d.CompletedOnTime, d.OverdueNow, d.AvgDaysToClose, d.Returns, d.Extensions, d.Score}
		if got != w {
			t.Errorf("department %d:\n got %+v\nwant %+v", i, got, w)
		}
	}

	// Committees. Party group: written instructions in November by its leaders on its
	// matters: C1 (zhao), C2 (zhao), E2 (wang) = 3 (V1 is copied to it but instructed
	// by the commission's leader); open now: C4, C5, V2, V4, E2 = 5. Commission: V1 and
	// P1 (sun) = 2 instructions; open: P1 = 1.
	wantC := []briefings.CommitteeStats{
		{Committee: "party", Name: "党组", Briefings: 4, Instructions: 3, OpenItems: 5},
		{Committee: "pl", Name: "市委政法委", Briefings: 2, Instructions: 2, OpenItems: 1},
	}
	if len(s.Committees) != len(wantC) {
		t.Fatalf("committees %+v", s.Committees)
	}
	for i := range wantC {
		if s.Committees[i] != wantC[i] {
			t.Errorf("committee %d = %+v, want %+v", i, s.Committees[i], wantC[i])
		}
	}

	// Trend, weekly from 1 Nov and the end of the month:
	//   8 Nov: C1 C4 C5 V1 V4 P1 = 6
	//  15 Nov: C1 C2 C4 C5 V1 V4 P1 = 7 (E1 already closed, C3 not yet submitted)
	//  22 Nov: C2 C4 C5 V4 E2 P1 = 6 (V1 closed 17th, C1 20th, C3 read)
	//  29 Nov: C2 C4 C5 V2 V4 E2 P1 = 7 (V3 archived)
	//   1 Dec: C4 C5 V2 V4 E2 P1 = 6 (C2 closed 30th)
	wantT := []briefings.TrendPoint{{nov(8, 0), 6}, {nov(15, 0), 7}, {nov(22, 0), 6}, {nov(29, 0), 7},
		{time.Date(2026, 12, 1, 0, 0, 0, 0, shanghai), 6}}
	if len(s.Trend) != len(wantT) {
		t.Fatalf("trend %+v", s.Trend)
	}
	for i := range wantT {
		if !s.Trend[i].At.Equal(wantT[i].At) || s.Trend[i].Open != wantT[i].Open {
			t.Errorf("trend %d = %v %d, want %v %d", i, s.Trend[i].At, s.Trend[i].Open, wantT[i].At, wantT[i].Open)
		}
	}
	if s.Restricted != 1 {
		t.Errorf("restricted = %d, want 1 (V2)", s.Restricted)
	}
}

func TestComputeStatsCommitteeScope(t *testing.T) {
	o := statsOptions()
	o.Committee = "party"
	s := briefings.ComputeStats(statsFixture(t), o)
	if len(s.Committees) != 1 || s.Committees[0].Committee != "party" || s.Committees[0].OpenItems != 5 || s.Committees[0].Instructions != 3 {
		t.Errorf("committees %+v", s.Committees)
	}
	for _, d := range s.Departments {
		if d.Department == "police" && (d.Requests != 0 || d.Score != 100) {
			t.Errorf("police counted with P1, addressed to the commission only: %+v", d)
		}
		if d.Department == "civil" && d.Assignments != 1 { // V1 is copied to the party group
			t.Errorf("civil: %+v", d)
		}
	}
	// Without a WorkingDays calendar, days are calendar days: C1 4→20 Nov = 16, C2
	// 13→30 Nov = 17.
	o.WorkingDays = nil
	s = briefings.ComputeStats(statsFixture(t), o)
	for _, d := range s.Departments {
		if d.Department == "criminal" && d.AvgDaysToClose != 16.5 {
			t.Errorf("criminal calendar days to close = %v, want 16.5", d.AvgDaysToClose)
		}
	}
}

func TestScoringClamp(t *testing.T) {
	sc := briefings.DefaultScoring()
	if got := sc.Score(&briefings.DeptStats{OverdueNow: 30}); got != 0 {
		t.Errorf("score with 30 overdue = %v, want 0", got)
	}
	sc.Base = 50
	if got := sc.Score(&briefings.DeptStats{}); got != 100 {
		t.Errorf("score = %v, want clamped to 100", got)
	}
}

func TestStatsRestrictedNeverDescribed(t *testing.T) {
	for _, viewer := range []briefbot.MemberID{"", "qian", "zhao"} {
		o := statsOptions()
		o.Viewer = viewer
		s := briefings.ComputeStats(statsFixture(t), o)
		want := 1
		if viewer == "zhao" { // on the list: may see it, so nothing is withheld
			want = 0
		}
		if s.Restricted != want {
			t.Errorf("viewer %q: restricted %d, want %d", viewer, s.Restricted, want)
		}
		if s.Departments[3].Submitted[briefbot.KindRequest] != 1 {
			t.Errorf("viewer %q: the restricted request is not counted", viewer)
		}
		for name, out := range map[string]string{"mrkdwn": s.Mrkdwn(), "markdown": s.Markdown(), "html": s.HTML()} {
			if strings.Contains(out, statsSecret) {
				t.Errorf("viewer %q: %s shows the restricted matter", viewer, name)
			}
			if want == 1 && !strings.Contains(out, "限定知悉范围事项 1 件") {
				t.Errorf("viewer %q: %s does not say a restricted matter was counted", viewer, name)
			}
		}
	}
}

// checkSVG decodes every token of doc and checks the root is an SVG element in the
// SVG namespace.
func checkSVG(t *testing.T, what, doc string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	var root *xml.StartElement
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Errorf("%s: invalid XML: %v\n%s", what, err, doc)
			return
		}
		if se, ok := tok.(xml.StartElement); ok && root == nil {
			se := se.Copy()
			root = &se
		}
	}
	if root == nil || root.Name.Local != "svg" || root.Name.Space != "http://www.w3.org/2000/svg" {
		t.Errorf("%s: root element %+v, want svg in the SVG namespace", what, root)
	}
}

var svgInPage = regexp.MustCompile(`(?s)<svg.*?</svg>`)

func TestStatsSVG(t *testing.T) {
	bar := briefings.BarChartSVG(`标题 "<b>&"`, []string{"<b>&", "民事审判庭", "x"}, []float64{50, 100, 150}, 100)
	checkSVG(t, "bar", bar)
	if strings.Contains(bar, "<b>") || !strings.Contains(bar, "&lt;b&gt;&amp;") {
		t.Errorf("bar chart label not escaped:\n%s", bar)
	}
	if !strings.Contains(bar, `font-family="'Noto Sans CJK SC', 'Noto Serif CJK SC', sans-serif"`) {
		t.Errorf("bar chart font:\n%s", bar)
	}
	checkSVG(t, "empty bar", briefings.BarChartSVG("<b>&", nil, nil, 0))
	checkSVG(t, "control chars", briefings.BarChartSVG("a\x00b\x1b", []string{"\x01"}, []float64{1}, 0))

	s := briefings.ComputeStats(statsFixture(t), statsOptions())
	trend := briefings.TrendSVG("<b>&", s.Trend, shanghai)
	checkSVG(t, "trend", trend)
	if strings.Contains(trend, "<b>") {
		t.Errorf("trend title not escaped")
	}
	checkSVG(t, "empty trend", briefings.TrendSVG("x", nil, nil))
	checkSVG(t, "one point", briefings.TrendSVG("x", []briefings.TrendPoint{{At: statsNow, Open: 0}}, shanghai))

	for name, page := range map[string]string{"html": s.HTML(), "markdown": s.Markdown()} {
		svgs := svgInPage.FindAllString(page, -1)
		if len(svgs) != 2 {
			t.Errorf("%s holds %d charts, want 2", name, len(svgs))
		}
		for _, doc := range svgs {
			checkSVG(t, name+" chart", doc)
		}
	}
}

func TestStatsRenderings(t *testing.T) {
	s := briefings.ComputeStats(statsFixture(t), statsOptions())
	golden(t, "stats.month.md", s.Markdown())
	mrk := s.Mrkdwn()
	for _, want := range []string{"*2026年11月重大事项工作月报*", "1. *执行局* 得分 100", "按时办结 2/2", "平均办结 11.5", "*党组* 简报 4 期 · 批示 3 件 · 在办 5 件"} {
		if !strings.Contains(mrk, want) {
			t.Errorf("mrkdwn lacks %q:\n%s", want, mrk)
		}
	}

	from, to := briefings.YearPeriod(2026, shanghai)
	o := statsOptions()
	o.From, o.To, o.Now = from, to, time.Date(2027, 1, 4, 9, 0, 0, 0, shanghai)
	y := briefings.ComputeStats(statsFixture(t), o)
	if y.Title != "2026年度重大事项工作年报" || !y.Yearly || len(y.Trend) != 12 {
		t.Errorf("year: title %q yearly %v, %d trend points", y.Title, y.Yearly, len(y.Trend))
	}
	golden(t, "stats.year.html", y.HTML())

	// An org with a hostile department name: escaped everywhere.
	o = statsOptions()
	o.Org.Departments[0].Name = "<b>&*x*|"
	e := briefings.ComputeStats(statsFixture(t), o)
	if h := e.HTML(); strings.Contains(h, "<b>&") {
		t.Errorf("html does not escape a department name")
	}
	if m := e.Markdown(); strings.Contains(m, "<b>") || !strings.Contains(m, `| \<b\>\&\*x\*\| |`) {
		t.Errorf("markdown does not escape a department name")
	}
	if m := e.Mrkdwn(); strings.Contains(m, "<b>") || strings.Contains(m, "*x*") {
		t.Errorf("mrkdwn does not escape a department name")
	}
}
