// Package storetest is the ledger's contract as tests: every engine the store runs
// on (a bbolt file, an etcd cluster) runs this same suite, so a promise that holds on
// one holds on the other.
package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

// Opener opens a new, empty ledger whose own stamps read now; it is closed (and,
// where the engine can, checked) when the test ends.
type Opener func(tb testing.TB, now func() time.Time) *store.Store

var ctx = context.Background()

// Clock is a settable clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now is the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Add moves the clock on.
func (c *Clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Set sets the clock.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// NewClock is a clock at 2026-03-02 09:00 Asia/Shanghai.
func NewClock() *Clock {
	return &Clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, briefbot.DefaultLocation())}
}

// Request is a request of 刑庭 to 党组 that passes the storable checks.
func Request(title string) *briefbot.Matter {
	return &briefbot.Matter{Kind: briefbot.KindRequest, Title: title, RequestedItem: "拟依法公开审理", Reasons: "社会关注", Recommendation: "建议公开审理",
		Department: "criminal", Submitter: "wu", Signatory: "zhou", Decision: briefbot.DecisionCollective, Addressee: "party", Unclassified: true}
}

// Report is a situation report of 民庭 to 政法委, copied to 党组.
func Report(title string) *briefbot.Matter {
	return &briefbot.Matter{Kind: briefbot.KindReport, ReportType: briefbot.ReportSituation, Title: title, Body: "一季度共受理案件1200件。",
		Department: "civil", Submitter: "zheng", Signatory: "zheng", Decision: briefbot.DecisionCirculated,
		Addressee: "pl", Copied: []briefbot.CommitteeID{"party"}, Unclassified: true}
}

// Steps is the Change applying steps, unchecked by the rules.
func Steps(ss ...briefbot.Step) briefbot.Change {
	return func(m *briefbot.Matter) (*briefbot.Matter, []*briefbot.Dispatch, error) {
		for _, s := range ss {
			if err := m.Apply(s); err != nil {
				return nil, nil, err
			}
		}
		return m, nil, nil
	}
}

// Run runs the whole contract against the engine open makes.
func Run(t *testing.T, open Opener) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"NumbersPerKindAndYear", numbersPerKindAndYear},
		{"ConcurrentSubmittersGaplessNumbers", concurrentGapless},
		{"StoresEveryField", storesEveryField},
		{"Refusals", refusals},
		{"Dedup", dedup},
		{"ApplyPersistsAndRefuses", applyPersistsAndRefuses},
		{"ConcurrentStepsOnOneMatter", concurrentSteps},
		{"ListFiltersPagingSearch", listFiltersPagingSearch},
		{"ListsAgreeWithAScan", listsAgreeWithAScan},
		{"SearchFindsWordsNumbersEverywhere", searchEverywhere},
		{"SearchNewestFirstPagedVisible", searchPagedVisible},
		{"SearchFollowsChanges", searchFollowsChanges},
		{"OverdueAndDue", overdueAndDue},
		{"SignOffNumbersOnlyWhenSigned", signOffNumbersOnlyWhenSigned},
		{"OutboxSlotsIssuesParts", outboxSlotsIssuesParts},
		{"OutboxToldInTheSameTransaction", outboxToldInTheSameTransaction},
		{"AuditChainHeadAndRecords", auditChainHeadAndRecords},
		{"Conversations", conversations},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

func submit(tb testing.TB, s *store.Store, m *briefbot.Matter) *briefbot.Matter {
	tb.Helper()
	r, err := s.Submit(ctx, m, nil, briefbot.Delivery{})
	if err != nil {
		tb.Fatal(err)
	}
	return r.Matter
}

func apply(tb testing.TB, s *store.Store, id uint64, step briefbot.Step) *briefbot.Matter {
	tb.Helper()
	r, err := s.Apply(ctx, briefbot.RefID(id), Steps(step), briefbot.Delivery{})
	if err != nil {
		tb.Fatalf("Apply(%s): %v", step.Action, err)
	}
	return r.Matter
}

func numbersPerKindAndYear(t *testing.T, open Opener) {
	c := NewClock()
	s := open(t, c.Now)
	var got []string
	for _, m := range []*briefbot.Matter{Request("甲"), Report("乙"), Request("丙"), Report("丁")} {
		got = append(got, submit(t, s, m).Number.String())
	}
	c.Set(time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC)) // 2027-01-01 00:30 in Shanghai
	got = append(got, submit(t, s, Request("戊")).Number.String())
	want := []string{"QS-2026-0001", "BG-2026-0001", "QS-2026-0002", "BG-2026-0002", "QS-2027-0001"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("numbers = %v; want %v", got, want)
	}
	for _, typed := range []string{"qs-2026-2", "请示〔2026〕2号"} {
		if m, err := s.Lookup(ctx, typed); err != nil || m.Title != "丙" {
			t.Fatalf("Lookup(%q) = %v, %v", typed, m, err)
		}
	}
}

func concurrentGapless(t *testing.T, open Opener) {
	c := NewClock()
	s := open(t, c.Now)
	const n = 40
	var wg sync.WaitGroup
	numbers := make(chan string, n)
	for i := range n {
		wg.Go(func() {
			m := Request(fmt.Sprint("并发", i))
			if i%3 == 0 {
				m = Report(fmt.Sprint("并发", i))
			}
			r, err := s.Submit(ctx, m, nil, briefbot.Delivery{Key: fmt.Sprint("k", i)})
			if err != nil {
				t.Error(err)
				return
			}
			numbers <- r.Matter.Number.String()
		})
	}
	wg.Wait()
	close(numbers)
	seen := map[string]bool{}
	per := map[string]int{}
	for num := range numbers {
		if seen[num] {
			t.Fatalf("number %s given twice", num)
		}
		seen[num] = true
		per[num[:7]]++
	}
	for series, count := range per {
		for i := 1; i <= count; i++ {
			if !seen[fmt.Sprintf("%s-%04d", series, i)] {
				t.Fatalf("series %s: %d numbers but %s-%04d missing", series, count, series, i)
			}
		}
	}
	if ps, err := s.Check(); err != nil || len(ps) > 0 {
		t.Fatalf("check: %v %v", ps, err)
	}
}

func storesEveryField(t *testing.T, open Opener) {
	c := NewClock()
	s := open(t, c.Now)
	in := Request("关于某案件审理有关问题的请示")
	in.Urgency, in.Category, in.Copied = briefbot.UrgencyExtraUrgent, "重大案件", []briefbot.CommitteeID{"pl"}
	in.Attachments, in.Restricted = []string{"https://oa.example/doc/1"}, []briefbot.MemberID{"zhao"}
	in.AnswerBy = c.Now().Add(72 * time.Hour)
	m := submit(t, s, in)
	got, err := s.Matter(ctx, briefbot.RefNumber(m.Number))
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != in.Title || got.Urgency != in.Urgency || got.Copied[0] != "pl" || got.Restricted[0] != "zhao" || !got.AnswerBy.Equal(in.AnswerBy) ||
		got.Status != briefbot.StatusSubmitted || len(got.History) != 1 {
		t.Fatalf("stored = %+v", got)
	}
}

func refusals(t *testing.T, open Opener) {
	c := NewClock()
	s := open(t, c.Now)
	for name, m := range map[string]*briefbot.Matter{
		"classified": Request("秘密★ 某专案"),
		"related": func() *briefbot.Matter {
			m := Request("关联")
			m.Related = []briefbot.Number{{Kind: briefbot.KindRequest, Year: 2025, Seq: 1}}
			return m
		}(),
		"stored": func() *briefbot.Matter { m := Request("x"); m.ID = 7; return m }(),
	} {
		if _, err := s.Submit(ctx, m, nil, briefbot.Delivery{Key: "k-" + name}); briefbot.ErrorCode(err) != briefbot.EINVALID {
			t.Fatalf("%s: %v; want invalid", name, err)
		}
	}
	if m := submit(t, s, Request("之后")); m.Number.Seq != 1 {
		t.Fatalf("refusals consumed numbers: %s", m.Number)
	}
}

func dedup(t *testing.T, open Opener) {
	c := NewClock()
	s := open(t, c.Now)
	first, err := s.Submit(ctx, Request("重复"), nil, briefbot.Delivery{Key: "view:V1"})
	if err != nil || first.Duplicate {
		t.Fatal(first, err)
	}
	again, err := s.Submit(ctx, Request("重复"), nil, briefbot.Delivery{Key: "view:V1"})
	if err != nil || !again.Duplicate || again.Matter.Number != first.Matter.Number {
		t.Fatalf("retry = %+v %v", again, err)
	}
	step := briefbot.Step{Action: briefbot.ActionRegister, Actor: "qian", At: c.Now()}
	r1, _ := s.Apply(ctx, briefbot.RefID(first.Matter.ID), Steps(step), briefbot.Delivery{Key: "click:1"})
	r2, err := s.Apply(ctx, briefbot.RefID(first.Matter.ID), Steps(step), briefbot.Delivery{Key: "click:1"})
	if err != nil || !r2.Duplicate || r2.Matter.Version != r1.Matter.Version {
		t.Fatalf("double click = %+v %v", r2, err)
	}
	if ok, err := s.Claim(ctx, "event:Ev1", time.Hour); !ok || err != nil {
		t.Fatalf("first claim = %v %v", ok, err)
	}
	if ok, _ := s.Claim(ctx, "event:Ev1", time.Hour); ok {
		t.Fatal("second claim within the hour")
	}
	c.Add(2 * time.Hour)
	if ok, _ := s.Claim(ctx, "event:Ev1", time.Hour); !ok {
		t.Fatal("claim after expiry refused")
	}
	c.Add(25 * time.Hour)
	if n, err := s.PurgeExpired(ctx); err != nil || n != 3 {
		t.Fatalf("purge = %d %v; want 3", n, err)
	}
}

func applyPersistsAndRefuses(t *testing.T, open Opener) {
	c := NewClock()
	s := open(t, c.Now)
	m := submit(t, s, Request("关于经费的请示"))
	m = apply(t, s, m.ID, briefbot.Step{Action: briefbot.ActionInstruct, Actor: "qian", OnBehalfOf: "zhao", At: c.Now(), Text: "同意。"})
	_, err := s.Apply(ctx, briefbot.RefID(m.ID), Steps(briefbot.Step{Action: briefbot.ActionComplete, Actor: "zhou", At: c.Now(), Text: "已办结"}), briefbot.Delivery{Key: "k"})
	if briefbot.ErrorCode(err) != briefbot.ECONFLICT {
		t.Fatalf("complete before referral = %v", err)
	}
	if got, _ := s.Matter(ctx, briefbot.RefID(m.ID)); got.Version != m.Version {
		t.Fatalf("a refused step changed the matter")
	}
	if _, err := s.Apply(ctx, briefbot.RefID(m.ID), Steps(briefbot.Step{Action: briefbot.ActionClose, Actor: "qian", At: c.Now()}), briefbot.Delivery{Key: "k"}); err != nil {
		t.Fatalf("the refused step's key was consumed: %v", err)
	}
	if _, err := s.Apply(ctx, briefbot.RefID(999), Steps(briefbot.Step{Action: briefbot.ActionClose, Actor: "qian", At: c.Now()}), briefbot.Delivery{}); briefbot.ErrorCode(err) != briefbot.ENOTFOUND {
		t.Fatalf("missing matter = %v", err)
	}
}

// concurrentSteps: two leaders 圈阅 the same matter at once and a clerk registers it:
// each step is applied to the matter as the one before left it, none lost.
func concurrentSteps(t *testing.T, open Opener) {
	c := NewClock()
	s := open(t, c.Now)
	m := submit(t, s, Request("同时处理"))
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			_, err := s.Apply(ctx, briefbot.RefID(m.ID), Steps(briefbot.Step{Action: briefbot.ActionInstruct, Actor: briefbot.MemberID(fmt.Sprint("leader", i)), At: c.Now(), Text: fmt.Sprint("批示", i)}), briefbot.Delivery{})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, _ := s.Matter(ctx, briefbot.RefID(m.ID))
	if len(got.Instructions) != 10 || got.Version != 11 || len(got.History) != 11 {
		t.Fatalf("after 10 concurrent instructions: %d instructions, version %d", len(got.Instructions), got.Version)
	}
}

func listFiltersPagingSearch(t *testing.T, open Opener) {
	c := NewClock()
	s := open(t, c.Now)
	for i := range 25 {
		submit(t, s, Request(fmt.Sprintf("请示%02d", i)))
	}
	for i := range 5 {
		submit(t, s, Report(fmt.Sprintf("报告%02d 执行", i)))
	}
	p1, err := s.List(ctx, briefbot.Filter{Kinds: []briefbot.Kind{briefbot.KindRequest}, Limit: 20})
	if err != nil || len(p1.Matters) != 20 || !p1.More || p1.Matters[0].Title != "请示24" {
		t.Fatalf("page 1 = %d more=%v %v", len(p1.Matters), p1.More, err)
	}
	p2, _ := s.List(ctx, briefbot.Filter{Kinds: []briefbot.Kind{briefbot.KindRequest}, Limit: 20, Offset: 20})
	if len(p2.Matters) != 5 || p2.More || p2.Matters[4].Title != "请示00" {
		t.Fatalf("page 2 = %d more=%v", len(p2.Matters), p2.More)
	}
	if p, _ := s.List(ctx, briefbot.Filter{Committee: "pl"}); len(p.Matters) != 5 {
		t.Fatalf("committee pl: %d", len(p.Matters))
	}
	if p, _ := s.List(ctx, briefbot.Filter{Committee: "party", Limit: 100}); len(p.Matters) != 30 {
		t.Fatalf("committee party (addressee or copied): %d", len(p.Matters))
	}
	if p, _ := s.List(ctx, briefbot.Filter{Department: "civil", Statuses: []briefbot.Status{briefbot.StatusSubmitted}}); len(p.Matters) != 5 {
		t.Fatalf("civil submitted: %d", len(p.Matters))
	}
	if p, _ := s.Search(ctx, "执行", briefbot.Filter{}); len(p.Matters) != 5 {
		t.Fatalf("search: %d", len(p.Matters))
	}
	var n int
	s.Each(ctx, briefbot.Filter{Submitter: "zheng"}, func(*briefbot.Matter) bool { n++; return true })
	if n != 5 {
		t.Fatalf("each by submitter: %d", n)
	}
}

func overdueAndDue(t *testing.T, open Opener) {
	c := NewClock()
	s := open(t, c.Now)
	soon := Request("即将到期")
	soon.AnswerBy = c.Now().Add(24 * time.Hour)
	late := Request("已经逾期")
	late.AnswerBy = c.Now().Add(-24 * time.Hour)
	submit(t, s, soon)
	submit(t, s, late)
	submit(t, s, Request("没有期限"))
	p, err := s.List(ctx, briefbot.Filter{OverdueAt: c.Now()})
	if err != nil || len(p.Matters) != 1 || p.Matters[0].Title != "已经逾期" {
		t.Fatalf("overdue = %+v %v", p.Matters, err)
	}
	var due []string
	s.EachDue(ctx, c.Now().Add(-48*time.Hour), c.Now().Add(48*time.Hour), func(m *briefbot.Matter) bool { due = append(due, m.Title); return true })
	if fmt.Sprint(due) != "[已经逾期 即将到期]" {
		t.Fatalf("due = %v", due)
	}
}

func signOffNumbersOnlyWhenSigned(t *testing.T, open Opener) {
	c := NewClock()
	s := open(t, c.Now)
	r, err := s.AskSignOff(ctx, Request("待签发"), nil, briefbot.Delivery{})
	if err != nil || !r.Matter.Number.IsZero() || r.Matter.Status != briefbot.StatusSignOff {
		t.Fatalf("ask = %+v %v", r.Matter, err)
	}
	if p, _ := s.List(ctx, briefbot.Filter{SignOffPending: true}); len(p.Matters) != 1 {
		t.Fatalf("pending sign-off: %d", len(p.Matters))
	}
	submit(t, s, Request("直接报送"))
	m := apply(t, s, r.Matter.ID, briefbot.Step{Action: briefbot.ActionSign, Actor: "zhou", At: c.Now()})
	if m.Number.String() != "QS-2026-0002" || m.Signatory != "zhou" {
		t.Fatalf("signed = %s by %s", m.Number, m.Signatory)
	}
	if p, _ := s.List(ctx, briefbot.Filter{SignOffPending: true}); len(p.Matters) != 0 {
		t.Fatalf("still pending after the sign-off: %d", len(p.Matters))
	}
}

func outboxSlotsIssuesParts(t *testing.T, open Opener) {
	c := NewClock()
	s := open(t, c.Now)
	briefing := func(issue int, slot string, parts int) *briefbot.Dispatch {
		d := &briefbot.Dispatch{Kind: briefbot.DispatchBriefing, Committee: "party", Year: 2026, Issue: issue, SlotKey: slot}
		for i := range parts {
			d.Parts = append(d.Parts, briefbot.Part{Text: fmt.Sprint("part ", i), Thread: i > 0})
		}
		return d
	}
	d1, existed, err := s.CreateDispatch(ctx, briefing(1, "party/weekly@1", 3))
	if err != nil || existed {
		t.Fatal(d1, existed, err)
	}
	if again, existed, _ := s.CreateDispatch(ctx, briefing(2, "party/weekly@1", 1)); !existed || again.ID != d1.ID {
		t.Fatalf("a slot made twice")
	}
	if _, _, err := s.CreateDispatch(ctx, briefing(1, "", 1)); briefbot.ErrorReason(err) != briefbot.ReasonIssueTaken {
		t.Fatalf("a taken issue = %v", err)
	}
	if n, _ := s.NextIssue(ctx, "party", 2026); n != 2 {
		t.Fatalf("next issue %d", n)
	}
	if _, err := s.MarkPart(ctx, d1.ID, 1, briefbot.PartOutcome{Tried: true}); err != nil {
		t.Fatal(err)
	}
	for i, ts := range []string{"100.000001", "100.000002", "100.000003"} {
		if _, err := s.MarkPart(ctx, d1.ID, i, briefbot.PartOutcome{TS: ts}); err != nil {
			t.Fatal(err)
		}
	}
	s.MarkPart(ctx, d1.ID, 0, briefbot.PartOutcome{TS: "other"}) // a second record of a posted part changes nothing
	got, _ := s.Dispatch(ctx, d1.ID)
	if got.State != briefbot.DispatchDelivered || got.Parts[0].TS != "100.000001" || got.Parts[1].TriedAt.IsZero() {
		t.Fatalf("delivered = %+v", got)
	}
	if byTS, err := s.DispatchByTS(ctx, "100.000002"); err != nil || byTS.ID != d1.ID {
		t.Fatalf("by ts = %v %v", byTS, err)
	}
	if open, _ := s.OpenDispatches(ctx); len(open) != 0 {
		t.Fatalf("open after delivery: %d", len(open))
	}
	if taken, _ := s.SlotTaken(ctx, "party/weekly@1"); !taken {
		t.Fatal("slot not taken")
	}
}

func outboxToldInTheSameTransaction(t *testing.T, open Opener) {
	c := NewClock()
	s := open(t, c.Now)
	tell := []*briefbot.Dispatch{{Kind: briefbot.DispatchReceipt, Committee: "party", Notice: &briefbot.Notice{Kind: briefbot.NoticeReceipt},
		Parts: []briefbot.Part{{To: briefbot.ToMember("wu")}}}}
	changed := s.Changed(ctx)
	r, err := s.Submit(ctx, Request("有回执"), tell, briefbot.Delivery{})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	case <-time.After(5 * time.Second):
		t.Fatal("no change signal after a dispatch was made")
	}
	receipt, err := s.Receipt(ctx, r.Matter.ID)
	if err != nil || receipt == nil || receipt.Notice.Matter != r.Matter.ID || !slices.Contains(receipt.Matters, r.Matter.ID) {
		t.Fatalf("receipt = %+v %v", receipt, err)
	}
}

func auditChainHeadAndRecords(t *testing.T, open Opener) {
	c := NewClock()
	s := open(t, c.Now)
	m := submit(t, s, Request("审计"))
	apply(t, s, m.ID, briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: c.Now(), Text: "同意"})
	if err := s.AppendAudit(ctx, briefbot.AuditEntry{Actor: "zhao", Action: briefbot.AuditViewRestricted, MatterID: m.ID}); err != nil {
		t.Fatal(err)
	}
	head, err := s.AuditHead(ctx)
	if err != nil || head.Seq != 3 {
		t.Fatalf("head = %+v %v", head, err)
	}
	rep, err := s.VerifyAudit(ctx, head)
	if err != nil || rep.Problem != "" || rep.Entries != 3 || rep.Matters != 1 {
		t.Fatalf("verify = %+v %v", rep, err)
	}
	var actions []string
	s.Audit(ctx, func(e briefbot.AuditEntry) bool { actions = append(actions, string(e.Action)); return true })
	if strings.Join(actions, " ") != "submit instruct view_restricted" {
		t.Fatalf("audit = %v", actions)
	}
}

// conversations: a member's DM conversation is kept with a version; a save from a
// replica holding an older version is refused and changes nothing; an ended or expired
// one reads as none, and the next is never mistaken for it; purging forgets the
// ended and the expired.
func conversations(t *testing.T, open Opener) {
	c := NewClock()
	s := open(t, c.Now)
	ctx := context.Background()
	until := c.Now().Add(30 * time.Minute)
	if st, v, err := s.Conversation(ctx, "wu"); err != nil || st != nil || v != 0 {
		t.Fatalf("no conversation yet = %q %d %v", st, v, err)
	}
	v1, err := s.SaveConversation(ctx, "wu", []byte("step 1"), 0, until)
	if err != nil || v1 == 0 {
		t.Fatalf("first save = %d %v", v1, err)
	}
	v2, err := s.SaveConversation(ctx, "wu", []byte("step 2"), v1, until)
	if err != nil || v2 <= v1 {
		t.Fatalf("second save = %d %v", v2, err)
	}
	if _, err := s.SaveConversation(ctx, "wu", []byte("stale"), v1, until); briefbot.ErrorReason(err) != briefbot.ReasonConversationMoved {
		t.Fatalf("a save from an older version = %v; want ReasonConversationMoved", err)
	}
	if _, err := s.SaveConversation(ctx, "wu", []byte("new"), 0, until); briefbot.ErrorReason(err) != briefbot.ReasonConversationMoved {
		t.Fatalf("a new conversation over one in progress without its version = %v; want refused", err)
	}
	if st, v, _ := s.Conversation(ctx, "wu"); string(st) != "step 2" || v != v2 {
		t.Fatalf("after the refusals = %q %d; want step 2 at %d", st, v, v2)
	}
	if st, _, _ := s.Conversation(ctx, "zhou"); st != nil {
		t.Fatalf("another member's conversation = %q", st)
	}
	if _, err := s.SaveConversation(ctx, "wu", nil, v2, until); err != nil {
		t.Fatalf("end = %v", err)
	}
	if st, v, _ := s.Conversation(ctx, "wu"); st != nil || v != 0 {
		t.Fatalf("an ended conversation reads %q %d", st, v)
	}
	if _, err := s.SaveConversation(ctx, "wu", []byte("late"), v2, until); err == nil {
		t.Fatalf("a replica carrying on an ended conversation was not refused")
	}
	v3, err := s.SaveConversation(ctx, "wu", []byte("again"), 0, until)
	if err != nil || v3 <= v2 {
		t.Fatalf("a new conversation after the end = %d %v; want a version past %d", v3, err, v2)
	}
	if n, err := s.PurgeExpired(ctx); err != nil || n != 0 {
		t.Fatalf("purge before the conversation expired = %d %v", n, err)
	}
	c.Add(31 * time.Minute)
	if n, err := s.PurgeExpired(ctx); err != nil || n != 1 {
		t.Fatalf("purge = %d %v; want the expired conversation", n, err)
	}
	if st, v, _ := s.Conversation(ctx, "wu"); st != nil || v != 0 {
		t.Fatalf("a purged conversation reads %q %d", st, v)
	}
}

// LongBody is a body of about 600 Chinese characters: the index of one matter with it
// is many terms, written in the matter's transaction.
var LongBody = strings.Repeat("该案于今年初由我院立案受理，依法组成合议庭进行审理，合议庭已完成庭前会议和证据交换。"+
	"案件涉及当事人人数众多，涉案金额较大，社会关注度较高，部分当事人情绪较为激动。", 4) +
	"目前网络上已出现少量与本案有关的信息，我院已安排专人进行监测，暂未发现负面炒作。" +
	"执行过程中，被执行人已主动履行部分义务，申请执行人对执行进展表示理解和认可。" +
	"我庭将持续关注案件进展情况，如有重大变化，将第一时间向院党组报告。" +
	"庭审过程中，公诉机关、辩护人及诉讼代理人均充分发表了意见，庭审秩序总体良好。" +
	"根据有关规定，本案应当在法定期限内审结，现距审限届满尚有一段时间，各项工作按计划推进。"

// search returns the titles Search finds for q (newest first), failing on an error.
func search(tb testing.TB, s *store.Store, q string, f briefbot.Filter) []string {
	tb.Helper()
	p, err := s.Search(ctx, q, f)
	if err != nil {
		tb.Fatalf("Search(%q): %v", q, err)
	}
	var ts []string
	for _, m := range p.Matters {
		ts = append(ts, m.Title)
	}
	return ts
}

func searchEverywhere(t *testing.T, open Opener) {
	s := open(t, NewClock().Now)
	caseTitle := "关于（2026）沪01刑初10017号张某某涉黑案件审理的请示"
	req := Request(caseTitle)
	req.Body = LongBody
	m := submit(t, s, req)
	rep := Report("关于执行工作情况的报告")
	rep.Body = "某公司破产重整案已进入重整计划执行阶段。"
	rep.Related = []briefbot.Number{m.Number}
	submit(t, s, rep)
	apply(t, s, m.ID, briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: NewClock().Now(), Text: "请依法妥善处理，注意舆情引导。"})
	one := "[" + caseTitle + "]"
	both := "[关于执行工作情况的报告 " + caseTitle + "]"
	for _, tc := range []struct{ q, want string }{
		{"涉黑", one},   // title
		{"庭前会议", one}, // body
		{"重整计划", "[关于执行工作情况的报告]"}, // another's body
		{"妥善处理", one},              // 批示
		{"拟依法公开审理", one},           // the requested item
		{"（2026）沪01刑初10017号", one}, // a case number as written
		{"2026沪01刑初10017", one},    // ... without brackets
		{"(2026)沪０１刑初１００１７", one},  // ... half brackets, full-width digits
		{"沪01刑初10017", one},        // ... without the year
		{"10017", one},             // ... its sequence alone
		{"10017 涉黑", one},          // two words
		{"10018", "[]"},            // another case
		{"qs-2026-1", both},        // a ledger number: the matter and the one related to it
		{"请示〔2026〕1号", both},       // ... in document style
		{"civil", "[关于执行工作情况的报告]"}, // a department, by id
		{"criminal 妥善处理", one},     // a department and a word
		{"涉黑 重整计划", "[]"},          // words of two matters: none holds both
		{"刑初10017号张某某涉黑", one},     // a long run of units
		{"张某某 庭审直播", "[]"},         // one word missing
		{"重整执行", "[]"},             // pairs of the word all there, not in a row
	} {
		if got := fmt.Sprint(search(t, s, tc.q, briefbot.Filter{})); got != tc.want && !(tc.want == "[]" && got == "[]") {
			t.Errorf("Search(%q) = %s; want %s", tc.q, got, tc.want)
		}
	}
	p, _ := s.Search(ctx, "ＱＳ-2026-0001 （2026）沪01刑初10017号", briefbot.Filter{})
	if got := fmt.Sprint(p.Matched); got != "[QS-2026-0001 2026沪01刑初10017号]" {
		t.Errorf("Matched = %s; want the words as looked for", got)
	}
	for _, q := range []string{"案", "破产 案", "沪"} {
		if _, err := s.Search(ctx, q, briefbot.Filter{}); briefbot.ErrorReason(err) != briefbot.ReasonShortQuery {
			t.Errorf("Search(%q) = %v; want refused: one character", q, err)
		} else if msg := briefbot.ErrorMessage(err, briefbot.LangZH); !strings.Contains(msg, "一个汉字") {
			t.Errorf("Search(%q) says %q; want it to say why", q, msg)
		}
	}
	for _, q := range []string{"", " ，。 "} {
		if _, err := s.Search(ctx, q, briefbot.Filter{}); briefbot.ErrorReason(err) != briefbot.ReasonEmptyQuery {
			t.Errorf("Search(%q) = %v; want refused: empty", q, err)
		}
	}
}

func searchPagedVisible(t *testing.T, open Opener) {
	s := open(t, NewClock().Now)
	for i := range 25 {
		r := Report(fmt.Sprintf("报告%02d", i))
		r.Body = "关于执行工作的情况。"
		if i%5 == 0 {
			r.Restricted = []briefbot.MemberID{"zheng"}
		}
		submit(t, s, r)
	}
	submit(t, s, Request("无关的请示"))
	for _, byCursor := range []bool{false, true} {
		var got []string
		var after briefbot.Cursor
		for page := 0; ; page++ {
			f := briefbot.Filter{Limit: 10, Offset: 10 * page}
			if byCursor {
				f = briefbot.Filter{Limit: 10, After: after}
			}
			p, err := s.Search(ctx, "执行工作", f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range p.Matters {
				got = append(got, m.Title)
			}
			if !p.More {
				break
			}
			after = p.Next
		}
		if len(got) != 25 || got[0] != "报告24" || got[24] != "报告00" || !slices.IsSortedFunc(got, func(a, b string) int { return strings.Compare(b, a) }) {
			t.Fatalf("pages (by cursor: %v) = %v; want 25 reports newest first", byCursor, got)
		}
	}
	visibleTo := func(id briefbot.MemberID) briefbot.Filter {
		return briefbot.Filter{Limit: 100, Visible: func(m *briefbot.Matter) bool { return m.VisibleTo(id) }}
	}
	if got := search(t, s, "执行工作", visibleTo("wu")); len(got) != 20 || slices.Contains(got, "报告20") {
		t.Errorf("as wu: %v; want the 20 unrestricted reports", got)
	}
	if got := search(t, s, "执行工作", visibleTo("zheng")); len(got) != 25 {
		t.Errorf("as zheng, on the restricted list: %d; want all 25", len(got))
	}
}

func searchFollowsChanges(t *testing.T, open Opener) {
	s := open(t, NewClock().Now)
	m := submit(t, s, Request("关于鲲鹏公司案件的请示"))
	retitle := func(title, body string) briefbot.Change {
		return func(m *briefbot.Matter) (*briefbot.Matter, []*briefbot.Dispatch, error) {
			m.Title, m.Body = title, body
			return m, nil, nil
		}
	}
	if _, err := s.Apply(ctx, briefbot.RefID(m.ID), retitle("关于凤凰公司案件的请示", LongBody), briefbot.Delivery{}); err != nil {
		t.Fatal(err)
	}
	if got := search(t, s, "鲲鹏", briefbot.Filter{}); len(got) != 0 {
		t.Errorf("old title still found: %v", got)
	}
	if got := search(t, s, "凤凰 庭前会议", briefbot.Filter{}); len(got) != 1 {
		t.Errorf("new title and body not found: %v", got)
	}
	if _, err := s.Apply(ctx, briefbot.RefID(m.ID), retitle("关于凤凰公司案件的请示", ""), briefbot.Delivery{}); err != nil {
		t.Fatal(err)
	}
	if got := search(t, s, "庭前会议", briefbot.Filter{}); len(got) != 0 {
		t.Errorf("removed body still found: %v", got)
	}
	// A refused change leaves the index as it was.
	refuse := func(m *briefbot.Matter) (*briefbot.Matter, []*briefbot.Dispatch, error) {
		return nil, nil, briefbot.Errorf(briefbot.ECONFLICT, "test", briefbot.Text{ZH: "不", EN: "no"})
	}
	s.Apply(ctx, briefbot.RefID(m.ID), refuse, briefbot.Delivery{})
	if got := search(t, s, "凤凰", briefbot.Filter{}); len(got) != 1 {
		t.Errorf("after a refused change: %v", got)
	}
}
