package briefings_test

import (
	"encoding/json"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
)

func TestComposeSections(t *testing.T) {
	ms, want := fixture(t)
	b := briefings.Compose(ms, options())

	got := map[string]briefings.SectionKind{}
	for _, s := range b.Sections {
		for _, it := range s.Items {
			n := it.Number.String()
			if _, dup := got[n]; dup {
				t.Errorf("%s listed twice", n)
			}
			got[n] = s.Kind
		}
	}
	for _, m := range ms {
		if m.Number.IsZero() {
			continue
		}
		n := m.Number.String()
		t.Run(n, func(t *testing.T) {
			if g, w := got[n], want[n]; g != w {
				t.Errorf("%s (%s, %s) in section %q; want %q", n, m.Title, m.Status, g, w)
			}
		})
	}
	if got, want := len(b.Sections), len(briefings.SectionKinds); got != want {
		t.Fatalf("len(Sections) = %d; want %d", got, want)
	}
	for i, k := range briefings.SectionKinds {
		if b.Sections[i].Kind != k {
			t.Errorf("Sections[%d].Kind = %q; want %q", i, b.Sections[i].Kind, k)
		}
	}
}

func TestComposeOrder(t *testing.T) {
	ms, _ := fixture(t)
	b := briefings.Compose(ms, options())
	for _, tc := range []struct {
		section briefings.SectionKind
		want    []string
	}{
		// Awaiting before being carried out; extra urgent before a priority report.
		{briefings.SectionUrgent, []string{"QS-2026-0001", "BG-2026-0001", "QS-2026-0002"}},
		// Overdue first, then by answer deadline.
		{briefings.SectionAwaiting, []string{"QS-2026-0004", "QS-2026-0005", "QS-2026-0003"}},
		{briefings.SectionNew, []string{"BG-2026-0002", "BB-2026-0001"}},
		// By handling deadline, none last.
		{briefings.SectionInstructed, []string{"QS-2026-0007", "BG-2026-0004", "QS-2026-0006"}},
		{briefings.SectionOverdue, []string{"BG-2026-0005"}},
	} {
		var got []string
		for _, it := range b.Section(tc.section).Items {
			got = append(got, it.Number.String())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("section %s = %v; want %v", tc.section, got, tc.want)
		}
	}
}

func TestComposeCounts(t *testing.T) {
	ms, _ := fixture(t)
	got := briefings.Compose(ms, options()).Counts
	want := briefings.Counts{
		Urgent: 3, Awaiting: 3, New: 2, Instructed: 3, Overdue: 1, Listed: 12,
		AwaitingOverdue: 1, TotalAwaiting: 8, TotalOverdue: 2, ClosedThisPeriod: 1, EarlierAwaiting: 1,
		ByStatus: map[briefbot.Status]int{
			briefbot.StatusDraft: 1, briefbot.StatusSubmitted: 1, briefbot.StatusRegistered: 5,
			briefbot.StatusPresented: 2, briefbot.StatusInstructed: 1, briefbot.StatusInProgress: 3,
			briefbot.StatusCompleted: 1, briefbot.StatusClosed: 2, briefbot.StatusRead: 1,
			briefbot.StatusWithdrawn: 1, briefbot.StatusReturned: 1,
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Counts = %+v\nwant     %+v", got, want)
	}
}

func TestComposeItem(t *testing.T) {
	ms, _ := fixture(t)
	b := briefings.Compose(ms, options())
	find := func(n string) briefings.Item {
		t.Helper()
		for _, s := range b.Sections {
			for _, it := range s.Items {
				if it.Number.String() == n {
					return it
				}
			}
		}
		t.Fatalf("%s not listed", n)
		return briefings.Item{}
	}

	t.Run("Awaiting", func(t *testing.T) {
		it := find("QS-2026-0003")
		if got, want := it.Age, 3; got != want { // Wed 25 Feb 09:00 -> Mon 2 Mar: Thu, Fri, Mon
			t.Errorf("Age = %d; want %d", got, want)
		}
		if it.Overdue {
			t.Errorf("Overdue = true; want false")
		}
		if got, want := it.AnswerBy, at(5, 0); !got.Equal(want) {
			t.Errorf("AnswerBy = %v; want %v", got, want)
		}
		if got, want := it.Department, "刑事审判庭"; got != want {
			t.Errorf("Department = %q; want %q", got, want)
		}
		if got, want := it.Summary, "拟对某某故意杀人案依法公开开庭审理，并安排网络直播。"; got != want {
			t.Errorf("Summary = %q; want the requested item %q", got, want)
		}
	})
	t.Run("AwaitingOverdue", func(t *testing.T) {
		it := find("QS-2026-0004")
		if !it.Overdue || it.OverdueDays != 1 { // answer by Sun 1 Mar: one working day (Mon) late
			t.Errorf("Overdue, OverdueDays = %v, %d; want true, 1", it.Overdue, it.OverdueDays)
		}
	})
	t.Run("FollowThrough", func(t *testing.T) {
		it := find("BG-2026-0004")
		if in := it.Instruction; in == nil || in.Leader != "王副书记" || in.Kind != briefbot.InstructionWritten ||
			!strings.HasPrefix(in.Text, "请进一步梳理") {
			t.Errorf("Instruction = %+v", in)
		}
		if it.Lead != "民事审判庭" || !slices.Equal(it.Assisting, []string{"刑事审判庭"}) {
			t.Errorf("Lead, Assisting = %q, %q", it.Lead, it.Assisting)
		}
		if got, want := it.Deadline, at(10, 0); !got.Equal(want) {
			t.Errorf("Deadline = %v; want %v", got, want)
		}
		if f := it.Feedback; f == nil || f.Kind != briefbot.FeedbackProgress || !strings.HasPrefix(f.Text, "已梳理典型案例") {
			t.Errorf("Feedback = %+v", f)
		}
	})
	t.Run("OverdueHandling", func(t *testing.T) {
		it := find("BG-2026-0005")
		if !it.Overdue || it.OverdueDays != 1 { // deadline Fri 27 Feb 09:00: Monday late
			t.Errorf("Overdue, OverdueDays = %v, %d; want true, 1", it.Overdue, it.OverdueDays)
		}
	})
	t.Run("Restricted", func(t *testing.T) {
		it := find("QS-2026-0005")
		want := briefings.Item{Number: it.Number, Kind: briefbot.KindRequest, Status: briefbot.StatusRegistered,
			Department: "刑事审判庭", Restricted: true}
		if !reflect.DeepEqual(it, want) {
			t.Errorf("restricted item = %+v\nwant only %+v", it, want)
		}
	})
	t.Run("Copied", func(t *testing.T) {
		if it := find("BG-2026-0002"); it.Department != "民事审判庭" {
			t.Errorf("Department = %q", it.Department)
		}
	})
}

func TestComposeHeader(t *testing.T) {
	b := briefings.Compose(nil, options())
	for _, c := range []struct{ name, got, want string }{
		{"CommitteeName", b.CommitteeName, "党组"},
		{"Title", b.Title, "重大事项简报"},
		{"Office", b.Office, "某市中级人民法院办公室"},
		{"OrgName", b.OrgName, "某市中级人民法院"},
		{"Leaders", strings.Join(b.Leaders, ","), "赵书记,王副书记"},
		{"Clerks", strings.Join(b.Clerks, ","), "钱秘书"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q; want %q", c.name, c.got, c.want)
		}
	}
	if b.Year != 2026 || b.Issue != 9 {
		t.Errorf("Year, Issue = %d, %d; want 2026, 9", b.Year, b.Issue)
	}

	t.Run("DefaultOffice", func(t *testing.T) {
		// A committee without an office of its own: the organisation's 办公室 compiles.
		o := options()
		o.Committee = "pl"
		if b := briefings.Compose(nil, o); b.Office != "某市中级人民法院办公室" || b.CommitteeName != "市委政法委" {
			t.Errorf("Office, CommitteeName = %q, %q; want 某市中级人民法院办公室, 市委政法委", b.Office, b.CommitteeName)
		}
		o.Lang = briefbot.LangEN
		if b := briefings.Compose(nil, o); b.Office != "General Office, 某市中级人民法院" {
			t.Errorf("Office (en) = %q", b.Office)
		}
		o.Org = &briefbot.Org{Committees: o.Org.Committees} // no name either
		if b := briefings.Compose(nil, o); b.Office != "General Office" {
			t.Errorf("Office (en, no org name) = %q", b.Office)
		}
	})
	t.Run("Defaults", func(t *testing.T) {
		// No org, no zone, no calendar: the committee ID stands in for its name, the
		// date is in Asia/Shanghai and ages count calendar days.
		b := briefings.Compose(nil, briefings.Options{Committee: "x", Issue: 1, Now: time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC)})
		if b.CommitteeName != "x" || b.Year != 2026 || !b.CalendarDays {
			t.Errorf("CommitteeName, Year, CalendarDays = %q, %d, %v", b.CommitteeName, b.Year, b.CalendarDays)
		}
		if got, want := b.Now.Format("2006-01-02 15:04"), "2026-03-02 04:00"; got != want {
			t.Errorf("Now in Shanghai = %s; want %s", got, want)
		}
	})
}

func TestComposeCalendarDays(t *testing.T) {
	ms, _ := fixture(t)
	o := options()
	o.WorkingDays = nil
	b := briefings.Compose(ms, o)
	for _, it := range b.Section(briefings.SectionAwaiting).Items {
		if it.Number.String() == "QS-2026-0003" && it.Age != 5 {
			t.Errorf("Age = %d; want 5 calendar days", it.Age)
		}
	}
	if !strings.Contains(b.Mrkdwn(), "已等待 5 天") {
		t.Errorf("Mrkdwn does not count calendar days:\n%s", b.Mrkdwn())
	}
}

func TestComposeLongText(t *testing.T) {
	ms := bulk(t, 6, 10000, 10000)
	b := briefings.Compose(ms, options())
	for _, s := range b.Sections {
		for _, it := range s.Items {
			ptr := "…（详见台账 " + it.Number.String() + "）"
			for _, f := range []struct {
				name string
				s    string
				max  int
			}{{"Title", it.Title, briefings.MaxTitle}, {"Summary", it.Summary, briefings.MaxSummary}} {
				if n := len([]rune(f.s)); n != f.max || !strings.HasSuffix(f.s, ptr) {
					t.Errorf("%s %s: %d characters ending %q; want %d ending with the pointer", it.Number, f.name, n, f.s[len(f.s)-40:], f.max)
				}
			}
		}
	}
}

// A briefing is stored, then rendered when delivered: its JSON form renders the same.
func TestBriefingJSON(t *testing.T) {
	ms, _ := fixture(t)
	b := briefings.Compose(ms, options())
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var back briefings.Briefing
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if got, want := back.Markdown(), b.Markdown(); got != want {
		t.Errorf("Markdown after a JSON round trip differs:\n%s\nwant\n%s", got, want)
	}
	if got, want := back.HTML(), b.HTML(); got != want {
		t.Errorf("HTML after a JSON round trip differs")
	}
	if got, want := back.BlockKit(), b.BlockKit(); !reflect.DeepEqual(got, want) {
		t.Errorf("BlockKit after a JSON round trip differs")
	}
}

func TestComposeDoesNotChangeMatters(t *testing.T) {
	ms, _ := fixture(t)
	before := make([]*briefbot.Matter, len(ms))
	for i, m := range ms {
		before[i] = m.Clone()
	}
	briefings.Compose(ms, options())
	for i := range ms {
		if !reflect.DeepEqual(ms[i], before[i]) {
			t.Errorf("Compose changed %s", ms[i].Number)
		}
	}
}

// TestCompose_LargeLedgerOnSeveralCores: a large ledger's items are filled on several
// cores; the briefing is the same as on one, to the last field.
func TestCompose_LargeLedgerOnSeveralCores(t *testing.T) {
	ms := bulk(t, 6000, 30, 300)
	o := options()
	prev := runtime.GOMAXPROCS(1)
	one := briefings.Compose(ms, o)
	runtime.GOMAXPROCS(max(prev, 4))
	several := briefings.Compose(ms, o)
	runtime.GOMAXPROCS(prev)
	if one.Counts.Listed < 3000 {
		t.Fatalf("only %d listed", one.Counts.Listed)
	}
	if !reflect.DeepEqual(one, several) {
		for i := range one.Sections {
			for j := range one.Sections[i].Items {
				if !reflect.DeepEqual(one.Sections[i].Items[j], several.Sections[i].Items[j]) {
					t.Fatalf("item %d of %s differs:\n%+v\n%+v", j, one.Sections[i].Kind, one.Sections[i].Items[j], several.Sections[i].Items[j])
				}
			}
		}
		t.Fatal("the briefings differ")
	}
}
