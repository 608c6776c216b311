package briefings_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
)

// The fixed data set shared by the tests: a court with two committees, a briefing for
// the party committee on Monday 2 March 2026 at 09:00, the previous one on Friday
// 27 February at 09:00.

var (
	shanghai = briefbot.DefaultLocation()
	now      = time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)
	since    = time.Date(2026, 2, 27, 9, 0, 0, 0, shanghai)
)

// restrictedMark is in the title, body and requested item of the restricted matter:
// it must never appear in any rendering.
const restrictedMark = "ZEBRA7731"

// evilTitle tries to ping the channel, bold text and forge a link.
const evilTitle = "<!channel> *x* <http://evil|y>"

func testOrg() *briefbot.Org {
	return &briefbot.Org{
		Name: "某市中级人民法院",
		Committees: []briefbot.Committee{
			{ID: "party", Name: "党组", NameEN: "Leading Party Group", Office: "某市中级人民法院办公室",
				Leaders: []briefbot.MemberID{"zhao", "wang"}, Clerks: []briefbot.MemberID{"qian"}},
			{ID: "pl", Name: "市委政法委", NameEN: "Political-Legal Commission",
				Leaders: []briefbot.MemberID{"sun"}, Clerks: []briefbot.MemberID{"li"}},
		},
		Departments: []briefbot.Department{
			{ID: "criminal", Name: "刑事审判庭", NameEN: "Criminal Division", Principal: "zhou"},
			{ID: "civil", Name: "民事审判庭", NameEN: "Civil Division", Principal: "zheng"},
			{ID: "enforce", Name: "执行局", NameEN: "Enforcement Bureau", Principal: "feng"},
			{ID: "police", Name: "司法警察支队", NameEN: "Judicial Police", Principal: "chen"},
		},
		Members: []briefbot.Member{
			{ID: "zhao", Name: "赵书记"}, {ID: "wang", Name: "王副书记"}, {ID: "qian", Name: "钱秘书"},
			{ID: "sun", Name: "孙书记"}, {ID: "li", Name: "李秘书"},
			{ID: "zhou", Name: "周庭长"}, {ID: "zheng", Name: "郑庭长"}, {ID: "feng", Name: "冯局长"}, {ID: "chen", Name: "陈支队长"},
		},
	}
}

// workingDays counts Monday-to-Friday days after from's date up to to's date.
func workingDays(from, to time.Time) int {
	n := 0
	d := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, shanghai)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, shanghai)
	for d.Before(end) {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

func options() briefings.Options {
	return briefings.Options{
		Org: testOrg(), Committee: "party", Year: 2026, Issue: 9, Since: since, Now: now,
		Location: shanghai, WorkingDays: workingDays,
	}
}

// builder makes matters through the state machine, so History, Status, Version,
// instructions, assignment and feedback agree as the store would keep them.
type builder struct {
	tb  testing.TB
	seq map[briefbot.Kind]int
}

func newBuilder(tb testing.TB) *builder {
	return &builder{tb: tb, seq: map[briefbot.Kind]int{}}
}

// at returns a time relative to now: days and hours.
func at(days, hours int) time.Time {
	return now.AddDate(0, 0, days).Add(time.Duration(hours) * time.Hour)
}

// submit creates m as submitted at t, numbered next in its kind, then applies steps.
func (b *builder) submit(m *briefbot.Matter, t time.Time, steps ...briefbot.Step) *briefbot.Matter {
	b.tb.Helper()
	if m.Submitter == "" {
		m.Submitter = "zhou"
	}
	if m.Department == "" {
		m.Department = "criminal"
	}
	if m.Addressee == "" {
		m.Addressee = "party"
	}
	m.Unclassified = true
	m.CreatedAt = t
	b.seq[m.Kind]++
	m.Number = briefbot.Number{Kind: m.Kind, Year: 2026, Seq: b.seq[m.Kind]}
	m.ID = uint64(len(b.seq)*100000 + b.seq[m.Kind])
	b.apply(m, briefbot.Step{Action: briefbot.ActionSubmit, Actor: m.Submitter, At: t})
	b.apply(m, steps...)
	if err := m.CheckInvariants(); err != nil {
		b.tb.Fatalf("%s: %v", m.Number, err)
	}
	return m
}

// draft creates an unsubmitted matter.
func (b *builder) draft(m *briefbot.Matter) *briefbot.Matter {
	m.Status, m.Unclassified = briefbot.StatusDraft, true
	if m.Addressee == "" {
		m.Addressee = "party"
	}
	return m
}

func (b *builder) apply(m *briefbot.Matter, steps ...briefbot.Step) {
	b.tb.Helper()
	for _, s := range steps {
		if s.Actor == "" {
			s.Actor = "qian"
		}
		if err := m.Apply(s); err != nil {
			b.tb.Fatalf("%s %s: %v", m.Number, s.Action, err)
		}
	}
}

// Steps, each at a time t.
func register(t time.Time) briefbot.Step {
	return briefbot.Step{Action: briefbot.ActionRegister, At: t}
}
func present(t time.Time) briefbot.Step {
	return briefbot.Step{Action: briefbot.ActionPresent, At: t}
}
func instruct(t time.Time, leader briefbot.MemberID, text string) briefbot.Step {
	return briefbot.Step{Action: briefbot.ActionInstruct, Actor: "qian", OnBehalfOf: leader, Text: text, At: t}
}
func read(t time.Time, leader briefbot.MemberID) briefbot.Step {
	return briefbot.Step{Action: briefbot.ActionRead, Actor: leader, At: t}
}
func refer(t time.Time, lead briefbot.DepartmentID, deadline time.Time, assisting ...briefbot.DepartmentID) briefbot.Step {
	return briefbot.Step{Action: briefbot.ActionRefer, Lead: lead, Assisting: assisting, Deadline: deadline, At: t}
}
func progress(t time.Time, dept briefbot.DepartmentID, text string) briefbot.Step {
	return briefbot.Step{Action: briefbot.ActionProgress, Actor: "zhou", Department: dept, Text: text, At: t}
}
func complete(t time.Time, dept briefbot.DepartmentID, text string) briefbot.Step {
	return briefbot.Step{Action: briefbot.ActionComplete, Actor: "zhou", Department: dept, Text: text, At: t}
}
func closeOut(t time.Time) briefbot.Step {
	return briefbot.Step{Action: briefbot.ActionClose, At: t}
}

// fixture is the fixed data set. want maps each ledger number to the section it must
// land in ("" for none).
func fixture(tb testing.TB) (ms []*briefbot.Matter, want map[string]briefings.SectionKind) {
	b := newBuilder(tb)
	want = map[string]briefings.SectionKind{}
	add := func(s briefings.SectionKind, m *briefbot.Matter) {
		ms = append(ms, m)
		if !m.Number.IsZero() {
			want[m.Number.String()] = s
		}
	}
	request := func(title, item string, u briefbot.Urgency, answerBy time.Time) *briefbot.Matter {
		return &briefbot.Matter{Kind: briefbot.KindRequest, Title: title, RequestedItem: item,
			Reasons: "理由充分。", Recommendation: "建议同意。", Urgency: u, AnswerBy: answerBy}
	}
	report := func(t briefbot.ReportType, title, body string, u briefbot.Urgency) *briefbot.Matter {
		return &briefbot.Matter{Kind: briefbot.KindReport, ReportType: t, Title: title, Body: body, Urgency: u}
	}
	filing := func(title, body string) *briefbot.Matter {
		return &briefbot.Matter{Kind: briefbot.KindFiling, Title: title, Body: body}
	}

	// 1. Urgent.
	add(briefings.SectionUrgent, b.submit(
		request("关于在押被告人突发疾病拟变更强制措施的请示", "拟对被告人某某变更强制措施为取保候审，请党组决定。",
			briefbot.UrgencyExtraUrgent, at(1, 0)),
		at(0, -2), register(at(0, -1)), present(at(0, -1))))
	add(briefings.SectionUrgent, b.submit(
		report(briefbot.ReportPriority, "关于执行现场发生群体性冲突的要情专报",
			"3月1日下午，执行局在某小区执行过程中，围观群众约50人与执行人员发生推搡，无人员受伤。现场已控制，正在做好舆情应对。", ""),
		at(-1, 6), register(at(-1, 7))))
	// Extra urgent, already instructed and referred: still listed first, with its follow-through.
	mUrgentReferred := request("关于法院机关网络安全事件的紧急请示", "拟立即断开外网并启动应急预案。", briefbot.UrgencyExtraUrgent, at(-3, 0))
	mUrgentReferred.Department, mUrgentReferred.Submitter = "police", "chen"
	add(briefings.SectionUrgent, b.submit(mUrgentReferred, at(-4, 0),
		register(at(-4, 1)), instruct(at(-4, 2), "zhao", "同意。立即处置，每日报告进展。"),
		refer(at(-4, 3), "police", at(5, 0), "enforce"), progress(at(-1, 0), "police", "已完成系统排查，未发现数据泄露。")))

	// 2. Requests awaiting instruction.
	mAwaiting := request("关于某重大刑事案件公开开庭审理的请示", "拟对某某故意杀人案依法公开开庭审理，并安排网络直播。", briefbot.UrgencyOrdinary, at(5, 0))
	add(briefings.SectionAwaiting, b.submit(mAwaiting, at(-5, 0), register(at(-5, 1)), present(at(-4, 0))))
	mLate := request("关于执行款集中发放有关事项的请示", "拟于3月底前集中发放执行款1200万元。", briefbot.UrgencyUrgent, at(-1, 0))
	mLate.Department, mLate.Submitter = "enforce", "feng"
	add(briefings.SectionAwaiting, b.submit(mLate, at(-7, 0), register(at(-7, 1))))
	// Restricted: listed, but only as a placeholder.
	mRestricted := request("关于"+restrictedMark+"人事安排的请示", restrictedMark+"-ITEM 拟调整", briefbot.UrgencyOrdinary, at(3, 0))
	mRestricted.Body = restrictedMark + "-BODY"
	mRestricted.Restricted = []briefbot.MemberID{"zhao"}
	add(briefings.SectionAwaiting, b.submit(mRestricted, at(-2, 0), register(at(-2, 1))))

	// 3. New reports and filings.
	mCopied := report(briefbot.ReportSituation, "关于一季度审判执行工作情况的报告",
		"一季度共受理案件1200件，审结1100件，结收比91.7%。\n\n主要做法：一是……二是……", "")
	mCopied.Department, mCopied.Submitter, mCopied.Addressee, mCopied.Copied = "civil", "zheng", "pl", []briefbot.CommitteeID{"party"}
	add(briefings.SectionNew, b.submit(mCopied, at(-2, 3), register(at(-2, 4))))
	mEvil := filing(evilTitle, "<script>alert(1)</script> & _u_ ~s~ `c` [link](http://evil) <b>bold</b>")
	add(briefings.SectionNew, b.submit(mEvil, at(-1, 0)))
	// Before Since and still unread: counted, not listed again.
	add("", b.submit(report(briefbot.ReportPeriodic, "关于二月份信访工作情况的报告", "二月份共接待来访群众86人次。", ""),
		at(-10, 0), register(at(-10, 1))))

	// 4. Instructed, being carried out.
	add(briefings.SectionInstructed, b.submit(
		request("关于成立专项审判团队的请示", "拟成立知识产权专项审判团队。", "", at(-2, 0)),
		at(-9, 0), register(at(-9, 1)), present(at(-8, 0)), instruct(at(-3, 0), "zhao", "同意，请政治部会同刑事审判庭抓紧研究落实。")))
	add(briefings.SectionInstructed, b.submit(
		report(briefbot.ReportSpecial, "关于涉企案件审理情况的专题报告", "近三年共审结涉企案件560件。", ""),
		at(-20, 0), register(at(-20, 1)), instruct(at(-15, 0), "wang", "请进一步梳理典型案例，形成工作指引。"),
		refer(at(-14, 0), "civil", at(10, 0), "criminal"), progress(at(-2, 0), "civil", "已梳理典型案例12件，指引初稿正在征求意见。")))
	add(briefings.SectionInstructed, b.submit(
		request("关于购置执法记录仪的请示", "拟购置执法记录仪200台。", "", at(-30, 0)),
		at(-40, 0), register(at(-40, 1)), instruct(at(-35, 0), "zhao", "同意。"),
		refer(at(-35, 1), "police", at(-5, 0)), complete(at(-6, 0), "police", "已完成采购并配发到位。")))

	// 5. Overdue handling.
	mOverdue := report(briefbot.ReportSituation, "关于执行积案清理情况的报告", "截至2月底，尚有执行积案320件。", "")
	mOverdue.Department, mOverdue.Submitter = "enforce", "feng"
	add(briefings.SectionOverdue, b.submit(mOverdue,
		at(-30, 0), register(at(-30, 1)), instruct(at(-25, 0), "zhao", "请执行局制定清理方案，限期清理。"),
		refer(at(-24, 0), "enforce", at(-3, 0)), progress(at(-10, 0), "enforce", "已制定方案，清理工作正在推进。")))

	// Counted only, or not at all.
	add("", b.submit(request("关于年度考核结果的请示", "拟确定考核结果。", "", at(-20, 0)),
		at(-30, 0), register(at(-30, 1)), instruct(at(-25, 0), "zhao", "同意。"), closeOut(at(-1, 0)))) // closed this period
	add("", b.submit(request("关于去年工作总结的请示", "拟印发总结。", "", at(-50, 0)),
		at(-60, 0), register(at(-60, 1)), instruct(at(-55, 0), "zhao", "同意。"), closeOut(at(-40, 0)))) // closed earlier
	add("", b.submit(report(briefbot.ReportPeriodic, "关于一月份审判运行态势的报告", "一月份运行平稳。", ""),
		at(-3, 0), register(at(-3, 1)), read(at(-2, 0), "zhao"))) // read
	add("", b.submit(request("关于撤回某请示的请示", "拟撤回。", "", at(5, 0)),
		at(-1, 0), briefbot.Step{Action: briefbot.ActionWithdraw, Actor: "zhou", Reason: "情况变化", At: at(-1, 1)})) // withdrawn
	add("", b.submit(request("关于退回材料的请示", "拟补充材料。", "", at(5, 0)),
		at(-1, 0), briefbot.Step{Action: briefbot.ActionReturn, Reason: "材料不全", At: at(-1, 2)})) // returned
	add("", b.draft(&briefbot.Matter{Kind: briefbot.KindRequest, Title: "草稿请示"}))
	// Another committee's: excluded altogether.
	other := request("关于政法委专项督查的请示", "拟开展专项督查。", briefbot.UrgencyExtraUrgent, at(2, 0))
	other.Addressee = "pl"
	add("", b.submit(other, at(-1, 0), register(at(-1, 1))))
	return ms, want
}

// bulk makes n open matters for the party committee in a spread of states: awaiting
// requests, new and earlier reports, instructed, referred (some overdue), completed,
// and some urgent ones.
func bulk(tb testing.TB, n int, titleLen, bodyLen int) []*briefbot.Matter {
	b := newBuilder(tb)
	ms := make([]*briefbot.Matter, 0, n)
	long := func(prefix string, l int) string {
		if l <= len([]rune(prefix)) {
			return prefix
		}
		return prefix + strings.Repeat("长", l-len([]rune(prefix)))
	}
	for i := range n {
		sub := at(-1-i%20, i%8)
		title := long(fmt.Sprintf("关于第%d项重点工作的请示", i), titleLen)
		body := long(fmt.Sprintf("第%d项：有关情况如下。", i), bodyLen)
		var m *briefbot.Matter
		switch i % 6 {
		case 0:
			m = b.submit(&briefbot.Matter{Kind: briefbot.KindRequest, Title: title, RequestedItem: body, AnswerBy: at(i%7-3, 0)},
				sub, register(sub.Add(time.Hour)))
		case 1:
			m = b.submit(&briefbot.Matter{Kind: briefbot.KindReport, ReportType: briefbot.ReportSituation, Title: title, Body: body},
				sub, register(sub.Add(time.Hour)))
		case 2:
			m = b.submit(&briefbot.Matter{Kind: briefbot.KindRequest, Title: title, RequestedItem: body},
				sub, register(sub.Add(time.Hour)), instruct(sub.Add(2*time.Hour), "zhao", long("同意，请抓紧落实。", bodyLen/4)))
		case 3, 4:
			m = b.submit(&briefbot.Matter{Kind: briefbot.KindReport, ReportType: briefbot.ReportSpecial, Title: title, Body: body},
				sub, register(sub.Add(time.Hour)), instruct(sub.Add(2*time.Hour), "wang", "请研究落实。"),
				refer(sub.Add(3*time.Hour), "civil", sub.AddDate(0, 0, 2+i%25), "criminal", "enforce"),
				progress(sub.Add(4*time.Hour), "civil", long("正在推进。", bodyLen/4)))
		case 5:
			m = b.submit(&briefbot.Matter{Kind: briefbot.KindFiling, Title: title, Body: body},
				sub)
		}
		if i%10 == 0 {
			m.Urgency = briefbot.UrgencyExtraUrgent
		}
		ms = append(ms, m)
	}
	return ms
}
