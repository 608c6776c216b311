package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

var ctx = context.Background()

// clock is a settable clock for the store's own stamps.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var shanghai = briefbot.DefaultLocation()

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)} }

// MustOpen opens a store on a new file in t.TempDir() and, when the test ends, checks
// the file's consistency before closing it: every store test also proves the file sound.
func MustOpen(tb testing.TB, c *clock) *store.Store {
	tb.Helper()
	s, err := store.Open(filepath.Join(tb.TempDir(), "briefbot.db"), store.Options{Now: c.Now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if ps, err := s.Check(); err != nil || len(ps) > 0 {
			tb.Errorf("consistency check: %v %v", err, ps)
		}
		if err := s.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return s
}

func request(title string) *briefbot.Matter {
	return &briefbot.Matter{
		Kind: briefbot.KindRequest, Title: title, RequestedItem: "拟依法公开审理", Reasons: "社会关注", Recommendation: "建议公开审理",
		Department: "criminal", Submitter: "wu", Signatory: "zhou", Decision: briefbot.DecisionCollective,
		Addressee: "party", Unclassified: true,
	}
}

func report(title string) *briefbot.Matter {
	return &briefbot.Matter{
		Kind: briefbot.KindReport, ReportType: briefbot.ReportSituation, Title: title, Body: "一季度共受理案件1200件。",
		Department: "civil", Submitter: "zheng", Signatory: "zheng", Decision: briefbot.DecisionCirculated,
		Addressee: "pl", Copied: []briefbot.CommitteeID{"party"}, Unclassified: true,
	}
}

func mustSubmit(tb testing.TB, s *store.Store, m *briefbot.Matter) *briefbot.Matter {
	tb.Helper()
	r, err := s.Submit(ctx, m, nil, briefbot.Delivery{})
	if err != nil {
		tb.Fatal(err)
	}
	return r.Matter
}

func mustApply(tb testing.TB, s *store.Store, id uint64, step briefbot.Step) *briefbot.Matter {
	tb.Helper()
	r, err := s.Apply(ctx, briefbot.RefID(id), steps(step), briefbot.Delivery{})
	if err != nil {
		tb.Fatalf("Apply(%s): %v", step.Action, err)
	}
	return r.Matter
}

func TestSubmit_NumbersPerKindAndYearWithoutGaps(t *testing.T) {
	c := newClock()
	s := MustOpen(t, c)
	var got []string
	for _, m := range []*briefbot.Matter{request("甲"), report("乙"), request("丙"), report("丁")} {
		got = append(got, mustSubmit(t, s, m).Number.String())
	}
	c.t = time.Date(2026, 12, 31, 23, 59, 0, 0, shanghai)
	got = append(got, mustSubmit(t, s, request("戊")).Number.String())
	c.t = time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC) // 2027-01-01 00:30 in Shanghai
	got = append(got, mustSubmit(t, s, request("己")).Number.String())
	want := []string{"QS-2026-0001", "BG-2026-0001", "QS-2026-0002", "BG-2026-0002", "QS-2026-0003", "QS-2027-0001"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("numbers = %v; want %v", got, want)
	}
	for _, typed := range []string{"qs-2026-2", "QS2026-0002", "请示〔2026〕2号"} {
		m, err := s.Lookup(ctx, typed)
		if err != nil || m.Title != "丙" {
			t.Fatalf("Lookup(%q) = %v, %v; want 丙", typed, m, err)
		}
	}
}

func TestSubmit_StoresEveryFieldAndHistory(t *testing.T) {
	c := newClock()
	s := MustOpen(t, c)
	in := request("关于某案件审理有关问题的请示")
	in.Urgency, in.Category, in.Copied = briefbot.UrgencyExtraUrgent, "重大案件", []briefbot.CommitteeID{"pl"}
	in.Attachments, in.Restricted = []string{"https://oa.example/doc/1"}, []briefbot.MemberID{"zhao"}
	in.AnswerBy, in.SignedOn = c.Now().Add(72*time.Hour), c.Now().Add(-time.Hour)
	m := mustSubmit(t, s, in)
	got, err := s.Matter(ctx, briefbot.RefNumber(m.Number))
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != in.Title || got.Urgency != in.Urgency || got.Category != "重大案件" || got.Copied[0] != "pl" ||
		got.Attachments[0] != in.Attachments[0] || got.Restricted[0] != "zhao" || !got.AnswerBy.Equal(in.AnswerBy) || !got.SignedOn.Equal(in.SignedOn) {
		t.Fatalf("stored matter differs: %+v", got)
	}
	if got.Status != briefbot.StatusSubmitted || len(got.History) != 1 || got.History[0].Action != briefbot.ActionSubmit || got.History[0].Actor != "wu" {
		t.Fatalf("status %s history %+v; want submitted by wu", got.Status, got.History)
	}
	if in.ID != 0 || in.Status != "" {
		t.Fatalf("Submit changed the caller's matter: %+v", in)
	}
}

func TestSubmit_Refusals(t *testing.T) {
	c := newClock()
	s := MustOpen(t, c)
	for _, tc := range []struct {
		name string
		m    *briefbot.Matter
		code briefbot.Code
	}{
		{"ErrClassifiedTitle", func() *briefbot.Matter { m := request("秘密★ 某专案XYZZYSECRET"); return m }(), briefbot.EINVALID},
		{"ErrClassifiedBody", func() *briefbot.Matter { m := report("情况"); m.Body = "绝密 XYZZYSECRET"; return m }(), briefbot.EINVALID},
		{"ErrFollowUpOfMissing", func() *briefbot.Matter {
			m := report("续报")
			m.ReportType, m.FollowUpOf = briefbot.ReportFollowUp, briefbot.Number{Kind: briefbot.KindReport, Year: 2026, Seq: 99}
			return m
		}(), briefbot.EINVALID},
		{"ErrRelatedMissing", func() *briefbot.Matter {
			m := request("关联")
			m.Related = []briefbot.Number{{Kind: briefbot.KindRequest, Year: 2025, Seq: 1}}
			return m
		}(), briefbot.EINVALID},
		{"ErrUnknownKind", func() *briefbot.Matter { m := request("x"); m.Kind = "memo"; return m }(), briefbot.EINVALID},
		{"ErrAlreadyStored", func() *briefbot.Matter { m := request("x"); m.ID = 7; return m }(), briefbot.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Submit(ctx, tc.m, nil, briefbot.Delivery{Key: "k-" + tc.name})
			if got := briefbot.ErrorCode(err); got != tc.code {
				t.Fatalf("Submit = %v; want %s", err, tc.code)
			}
			// Nothing was stored, not even the delivery key: a corrected retry goes through.
			if p, _ := s.List(ctx, briefbot.Filter{}); len(p.Matters) != 0 {
				t.Fatalf("a refused matter was stored: %+v", p.Matters[0])
			}
		})
	}
	ok := mustSubmit(t, s, request("之后的正常请示"))
	if ok.Number.Seq != 1 {
		t.Fatalf("refusals consumed ledger numbers: first good one is %s", ok.Number)
	}
	raw, err := os.ReadFile(s.Path()) // committed and synced: the file holds what the store holds
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("XYZZYSECRET")) {
		t.Fatalf("classified text reached the data file")
	}
}

func TestDedup(t *testing.T) {
	c := newClock()
	s := MustOpen(t, c)
	first, err := s.Submit(ctx, request("重复提交"), nil, briefbot.Delivery{Key: "view:V1:h1"})
	if err != nil || first.Duplicate {
		t.Fatalf("first = %+v, %v", first, err)
	}
	again, err := s.Submit(ctx, request("重复提交"), nil, briefbot.Delivery{Key: "view:V1:h1"})
	if err != nil || !again.Duplicate || again.Matter.Number != first.Matter.Number {
		t.Fatalf("retry = %+v, %v; want the first matter, marked duplicate", again, err)
	}
	step := briefbot.Step{Action: briefbot.ActionRegister, Actor: "qian", At: c.Now()}
	r1, err := s.Apply(ctx, briefbot.RefID(first.Matter.ID), steps(step), briefbot.Delivery{Key: "click:1"})
	if err != nil || r1.Duplicate {
		t.Fatal(r1, err)
	}
	r2, err := s.Apply(ctx, briefbot.RefID(first.Matter.ID), steps(step), briefbot.Delivery{Key: "click:1"})
	if err != nil || !r2.Duplicate || r2.Matter.Version != r1.Matter.Version {
		t.Fatalf("double click = %+v, %v; want recorded once", r2, err)
	}
	if ok, err := s.Claim(ctx, "event:Ev1", time.Hour); !ok || err != nil {
		t.Fatalf("first Claim = %v, %v", ok, err)
	}
	if ok, _ := s.Claim(ctx, "event:Ev1", time.Hour); ok {
		t.Fatalf("second Claim within its hour succeeded")
	}
	c.Add(2 * time.Hour)
	if ok, _ := s.Claim(ctx, "event:Ev1", time.Hour); !ok {
		t.Fatalf("Claim after expiry refused")
	}
	c.Add(25 * time.Hour)
	n, err := s.PurgeExpired(ctx)
	if err != nil || n != 3 {
		t.Fatalf("PurgeExpired = %d, %v; want 3", n, err)
	}
	again2, _ := s.Submit(ctx, request("重复提交"), nil, briefbot.Delivery{Key: "view:V1:h1"})
	if again2.Duplicate {
		t.Fatalf("an expired key still deduplicates")
	}
}

func TestApply_PersistsAndRefuses(t *testing.T) {
	c := newClock()
	s := MustOpen(t, c)
	m := mustSubmit(t, s, request("关于经费的请示"))
	m = mustApply(t, s, m.ID, briefbot.Step{Action: briefbot.ActionInstruct, Actor: "qian", OnBehalfOf: "zhao", At: c.Now(), Text: "同意。"})
	_, err := s.Apply(ctx, briefbot.RefID(m.ID), steps(briefbot.Step{Action: briefbot.ActionComplete, Actor: "zhou", At: c.Now(), Text: "已办结"}), briefbot.Delivery{Key: "k"})
	if briefbot.ErrorCode(err) != briefbot.ECONFLICT {
		t.Fatalf("complete before referral = %v; want conflict", err)
	}
	got, _ := s.Matter(ctx, briefbot.RefID(m.ID))
	if got.Version != m.Version || got.Status != briefbot.StatusInstructed || got.Instructions[0].RecordedBy != "qian" {
		t.Fatalf("stored = %+v", got)
	}
	// The refused step's key was not consumed.
	if _, err := s.Apply(ctx, briefbot.RefID(m.ID), steps(briefbot.Step{Action: briefbot.ActionClose, Actor: "qian", At: c.Now()}), briefbot.Delivery{Key: "k"}); err != nil {
		t.Fatalf("close after a refused step with the same key: %v", err)
	}
	if _, err := s.Apply(ctx, briefbot.RefID(999), steps(briefbot.Step{Action: briefbot.ActionClose, Actor: "qian", At: c.Now()}), briefbot.Delivery{}); briefbot.ErrorCode(err) != briefbot.ENOTFOUND {
		t.Fatalf("Apply to a missing matter = %v; want not found", err)
	}
	if _, err := s.Lookup(ctx, "QS-2026-0404"); briefbot.ErrorCode(err) != briefbot.ENOTFOUND {
		t.Fatalf("Lookup of a missing number = %v; want not found", err)
	}
	if _, err := s.Lookup(ctx, "hello"); briefbot.ErrorCode(err) != briefbot.EINVALID {
		t.Fatalf("Lookup of garbage = %v; want invalid", err)
	}
}

func TestList_FiltersAndPaging(t *testing.T) {
	c := newClock()
	s := MustOpen(t, c)
	var reqs []*briefbot.Matter
	for i := range 25 {
		reqs = append(reqs, mustSubmit(t, s, request(fmt.Sprintf("请示%02d", i))))
		mustSubmit(t, s, report(fmt.Sprintf("报告%02d", i)))
	}
	mustApply(t, s, reqs[3].ID, briefbot.Step{Action: briefbot.ActionRegister, Actor: "qian", At: c.Now()})

	p, err := s.List(ctx, briefbot.Filter{Limit: 10})
	if err != nil || len(p.Matters) != 10 || !p.More || p.Matters[0].Title != "报告24" || p.Matters[1].Title != "请示24" {
		t.Fatalf("first page = %v %v %v", titles(p), p.More, err)
	}
	p, _ = s.List(ctx, briefbot.Filter{Offset: 40, Limit: 10})
	if len(p.Matters) != 10 || p.More || p.Matters[9].Title != "请示00" {
		t.Fatalf("last page = %v more=%v", titles(p), p.More)
	}
	p, _ = s.List(ctx, briefbot.Filter{Department: "criminal", Limit: 100})
	if len(p.Matters) != 25 {
		t.Fatalf("department filter: %d matters; want 25", len(p.Matters))
	}
	p, _ = s.List(ctx, briefbot.Filter{Committee: "party", Limit: 100}) // requests addressed + reports copied
	if len(p.Matters) != 50 {
		t.Fatalf("committee filter: %d matters; want 50", len(p.Matters))
	}
	p, _ = s.List(ctx, briefbot.Filter{Committee: "pl", Kinds: []briefbot.Kind{briefbot.KindRequest}})
	if len(p.Matters) != 0 {
		t.Fatalf("pl requests: %v; want none", titles(p))
	}
	p, _ = s.List(ctx, briefbot.Filter{Statuses: []briefbot.Status{briefbot.StatusRegistered}})
	if len(p.Matters) != 1 || p.Matters[0].Title != "请示03" {
		t.Fatalf("status filter = %v", titles(p))
	}
	p, _ = s.List(ctx, briefbot.Filter{Submitter: "zheng", Limit: 5})
	if len(p.Matters) != 5 || p.Matters[0].Kind != briefbot.KindReport {
		t.Fatalf("submitter filter = %v", titles(p))
	}
	p, _ = s.List(ctx, briefbot.Filter{Year: 2026, Kinds: []briefbot.Kind{briefbot.KindReport}, Limit: 100})
	if len(p.Matters) != 25 {
		t.Fatalf("series filter: %d; want 25", len(p.Matters))
	}
	p, _ = s.List(ctx, briefbot.Filter{Awaiting: true, Limit: 100})
	if len(p.Matters) != 50 {
		t.Fatalf("awaiting: %d; want 50", len(p.Matters))
	}
	p, _ = s.List(ctx, briefbot.Filter{Visible: func(m *briefbot.Matter) bool { return strings.HasSuffix(m.Title, "7") }, Limit: 100})
	if len(p.Matters) != 4 {
		t.Fatalf("match filter: %v", titles(p))
	}
}

func TestOverdue(t *testing.T) {
	c := newClock()
	s := MustOpen(t, c)
	now := c.Now()
	late := request("逾期未答复")
	late.AnswerBy = now.Add(24 * time.Hour)
	later := request("稍后逾期")
	later.AnswerBy = now.Add(48 * time.Hour)
	onTime := request("未到期")
	onTime.AnswerBy = now.Add(240 * time.Hour)
	a, b := mustSubmit(t, s, late), mustSubmit(t, s, later)
	mustSubmit(t, s, onTime)
	mustSubmit(t, s, report("报告无期限"))

	asOf := now.Add(72 * time.Hour)
	p, err := s.List(ctx, briefbot.Filter{OverdueAt: asOf})
	if err != nil || fmt.Sprint(titles(p)) != "[逾期未答复 稍后逾期]" {
		t.Fatalf("Overdue = %v, %v", titles(p), err)
	}
	// Answering a request takes it off the list; a referral puts it back on with its own deadline.
	mustApply(t, s, a.ID, briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: now, Text: "同意"})
	p, _ = s.List(ctx, briefbot.Filter{OverdueAt: asOf})
	if fmt.Sprint(titles(p)) != "[稍后逾期]" {
		t.Fatalf("after instruction: %v", titles(p))
	}
	mustApply(t, s, a.ID, briefbot.Step{Action: briefbot.ActionRefer, Actor: "zhao", At: now, Lead: "criminal", Deadline: now.Add(36 * time.Hour)})
	mustApply(t, s, b.ID, briefbot.Step{Action: briefbot.ActionRead, Actor: "zhao", At: now})
	p, _ = s.List(ctx, briefbot.Filter{OverdueAt: asOf})
	if fmt.Sprint(titles(p)) != "[逾期未答复]" {
		t.Fatalf("after referral: %v", titles(p))
	}
	p, _ = s.List(ctx, briefbot.Filter{OverdueAt: asOf, Assignee: "civil"})
	if len(p.Matters) != 0 {
		t.Fatalf("assignee filter: %v", titles(p))
	}
}

func TestSearch(t *testing.T) {
	c := newClock()
	s := MustOpen(t, c)
	for _, title := range []string{"关于张某某涉黑案件审理的请示", "关于ABC公司破产案的请示", "关于执行工作情况的报告"} {
		mustSubmit(t, s, request(title))
	}
	for _, tc := range []struct{ q, want string }{
		{"涉黑", "[关于张某某涉黑案件审理的请示]"},
		{"abc", "[关于ABC公司破产案的请示]"},
		{"ＡＢＣ 破产", "[关于ABC公司破产案的请示]"},
		{"案件 请示", "[关于张某某涉黑案件审理的请示]"},
		{"破产案", "[关于ABC公司破产案的请示]"},
		{"不存在的词", "[]"},
	} {
		p, err := s.Search(ctx, tc.q, briefbot.Filter{})
		if err != nil || fmt.Sprint(titles(p)) != tc.want {
			t.Errorf("Search(%q) = %v, %v; want %s", tc.q, titles(p), err, tc.want)
		}
	}
	if _, err := s.Search(ctx, "  ", briefbot.Filter{}); briefbot.ErrorReason(err) != briefbot.ReasonEmptyQuery {
		t.Errorf("empty search = %v; want invalid", err)
	}
	if _, err := s.Search(ctx, "案 请示", briefbot.Filter{}); briefbot.ErrorReason(err) != briefbot.ReasonShortQuery {
		t.Errorf("search for one character = %v; want it refused as too short", err)
	}
}

func TestGroupCommit_ConcurrentSubmittersGetUniqueGaplessNumbers(t *testing.T) {
	c := newClock()
	s := MustOpen(t, c)
	const n = 64
	var wg sync.WaitGroup
	nums := make(chan string, 2*n)
	for i := range 2 * n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := request(fmt.Sprintf("并发请示%d", i))
			if i%2 == 1 { // half of them are refused inside the shared transaction
				m.Title = "机密 并发"
			}
			r, err := s.Submit(ctx, m, nil, briefbot.Delivery{})
			if i%2 == 1 {
				if briefbot.ErrorCode(err) != briefbot.EINVALID {
					t.Errorf("classified submit = %v", err)
				}
				return
			}
			if err != nil {
				t.Error(err)
				return
			}
			nums <- r.Matter.Number.String()
		}()
	}
	wg.Wait()
	close(nums)
	seen := map[string]bool{}
	for num := range nums {
		if seen[num] {
			t.Fatalf("number %s given twice", num)
		}
		seen[num] = true
	}
	for i := 1; i <= n; i++ {
		if !seen[fmt.Sprintf("QS-2026-%04d", i)] {
			t.Fatalf("number %d missing: numbers have a gap", i)
		}
	}
}

func TestOpen_LockedFileIsReportedNotAHang(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = store.Open(path, store.Options{Timeout: 50 * time.Millisecond})
	if briefbot.ErrorCode(err) != briefbot.ECONFLICT || !strings.Contains(briefbot.ErrorMessage(err, briefbot.LangEN), path) {
		t.Fatalf("second Open = %v; want a conflict naming %s", err, path)
	}
}

func TestOpen_RefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newer.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustSubmit(t, s, request("升级前的请示"))
	s.Close()
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte(fmt.Sprint(store.SchemaVersion+1)))
	})
	for _, ro := range []bool{false, true} {
		_, err = store.Open(path, store.Options{ReadOnly: ro})
		if briefbot.ErrorReason(err) != "schema_newer" || !strings.Contains(briefbot.ErrorMessage(err, briefbot.LangZH), "较新版本") {
			t.Fatalf("Open(readOnly=%v) of a newer store = %v; want schema_newer", ro, err)
		}
	}
}

func TestBackup_IsACheckedCopy(t *testing.T) {
	c := newClock()
	s := MustOpen(t, c)
	m := mustSubmit(t, s, request("备份前的请示"))
	dst := filepath.Join(t.TempDir(), "backup.db")
	if _, err := s.Backup(dst); err != nil {
		t.Fatal(err)
	}
	mustSubmit(t, s, request("备份后的请示")) // the store is still in use
	b, err := store.Open(dst, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, err := b.Matter(ctx, briefbot.RefNumber(m.Number))
	if err != nil || got.Title != "备份前的请示" {
		t.Fatalf("backup lacks %s: %v", m.Number, err)
	}
	if p, _ := b.List(ctx, briefbot.Filter{}); len(p.Matters) != 1 {
		t.Fatalf("backup holds %d matters; want 1", len(p.Matters))
	}
	if _, err := s.Backup(s.Path()); briefbot.ErrorCode(err) != briefbot.EINVALID {
		t.Fatalf("backup onto itself = %v; want invalid", err)
	}
}

func TestCheck_FindsDamage(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(tx *bolt.Tx) error
		want   string
	}{
		{"AuditEdited", func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("audit"))
			k, v := b.Cursor().First()
			return b.Put(k, bytes.Replace(v, []byte(`"actor":"wu"`), []byte(`"actor":"xx"`), 1))
		}, "audit entry 1: contents do not match"},
		{"AuditDeleted", func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("audit"))
			k, _ := b.Cursor().First()
			k, _ = b.Cursor().Seek(append(k[:7:7], 2))
			return b.Delete(k)
		}, "audit entry 3: out of sequence"},
		{"AuditTruncated", func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("audit"))
			k, _ := b.Cursor().Last()
			return b.Delete(k)
		}, "last entry is not the recorded head"},
		{"AuditReordered", func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("audit"))
			c := b.Cursor()
			k1, v1 := c.First()
			k1, v1 = bytes.Clone(k1), bytes.Clone(v1)
			k2, v2 := c.Next()
			k2, v2 = bytes.Clone(k2), bytes.Clone(v2)
			if err := b.Put(k1, v2); err != nil {
				return err
			}
			return b.Put(k2, v1)
		}, "audit entry 1: out of sequence"},
		{"IndexLost", func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("index"))
			k, _ := b.Cursor().Seek([]byte("st\x00submitted\x00"))
			return b.Delete(bytes.Clone(k))
		}, "index entry \"st\" missing"},
		{"IndexStale", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("index")).Put([]byte("st\x00closed\x00\x00\x00\x00\x00\x00\x00\x00\x01"), nil)
		}, "stale entries"},
		{"SearchTermLost", func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("search"))
			k, _ := b.Cursor().Seek([]byte("请示\x00"))
			return b.Delete(bytes.Clone(k))
		}, "search index: term \"请示\""},
		{"SearchMatterLost", func(tx *bolt.Tx) error { // one matter of three taken out of a term
			b := tx.Bucket([]byte("search"))
			k, v := b.Cursor().Seek([]byte("请示\x00"))
			return b.Put(bytes.Clone(k), bytes.Clone(v[2:]))
		}, "search index: term \"请示\", matters 0 to 1023: 2 entries, the matters need 3"},
		{"SearchStale", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("search")).Put([]byte("鲲鹏\x00\x00\x00\x00\x00"), []byte{0, 1})
		}, "search index: 23 keys, the matters need 22: stale entries remain"},
		{"NumberRepeated", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("seq")).Put([]byte("QS-2026"), []byte{0, 0, 0, 0, 0, 0, 0, 1})
		}, "ledger series QS-2026"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClock()
			path := filepath.Join(t.TempDir(), "damaged.db")
			s, err := store.Open(path, store.Options{Now: c.Now})
			if err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				mustSubmit(t, s, request(fmt.Sprintf("请示%d", i)))
			}
			if ps, _ := s.Check(); len(ps) != 0 {
				t.Fatalf("sound store reported %v", ps)
			}
			s.Close()
			rawUpdate(t, path, tc.damage)
			ps, err := store.CheckFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(ps, "\n"), tc.want) {
				t.Fatalf("Check = %q; want a problem containing %q", ps, tc.want)
			}
		})
	}
}

func TestClose_RefusesLaterWrites(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := s.Submit(ctx, request("关闭后"), nil, briefbot.Delivery{}); err != store.ErrClosed {
		t.Fatalf("Submit after Close = %v; want ErrClosed", err)
	}
}

func rawUpdate(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func titles(p briefbot.Page) []string {
	var ts []string
	for _, m := range p.Matters {
		ts = append(ts, m.Title)
	}
	return ts
}

func TestOpen_MigratesAnOlderStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := mustSubmit(t, s, request("升级前的请示"))
	s.Close()
	// Make it a schema-1 file: no outbox.
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		for _, b := range []string{"dispatch", "dispatch_open", "slots", "issues", "last_briefing", "posted"} {
			if err := tx.DeleteBucket([]byte(b)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte("1"))
	})
	if _, err := store.Open(path, store.Options{ReadOnly: true}); briefbot.ErrorReason(err) != "schema_older" {
		t.Fatalf("read-only open of an older store = %v; want schema_older", err)
	}
	s, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Matter(ctx, briefbot.RefNumber(m.Number)); err != nil || got.Title != "升级前的请示" {
		t.Fatalf("after migration: %v %v", got, err)
	}
	if n, err := s.NextIssue(ctx, "party", 2026); err != nil || n != 1 {
		t.Fatalf("outbox after migration: %d %v", n, err)
	}
	if ps, _ := s.Check(); len(ps) != 0 {
		t.Fatalf("migrated store: %v", ps)
	}
	s.Close()
}

func TestDedup_ClaimedKeyCannotWriteAMatter(t *testing.T) {
	s := MustOpen(t, newClock())
	s.Claim(ctx, "evt-1", time.Hour)
	if _, err := s.Submit(ctx, request("x"), nil, briefbot.Delivery{Key: "evt-1"}); briefbot.ErrorReason(err) != "delivery_claimed" {
		t.Fatalf("Submit with a claimed key = %v", err)
	}
}

func TestCheck_FindsACounterWithNoMatters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gap.db")
	s, _ := store.Open(path, store.Options{})
	mustSubmit(t, s, request("请示"))
	s.Close()
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("seq")).Put([]byte("BG-2026"), []byte{0, 0, 0, 0, 0, 0, 0, 3})
	})
	ps, _ := store.CheckFile(path)
	if !strings.Contains(strings.Join(ps, "\n"), "BG-2026") {
		t.Fatalf("Check = %v; want the BG-2026 gap", ps)
	}
}

// steps is the Change that applies steps in order, unchecked by any rules: the store's
// tests test the store, not who may take a step.
func steps(ss ...briefbot.Step) briefbot.Change {
	return func(m *briefbot.Matter) (*briefbot.Matter, []*briefbot.Dispatch, error) {
		for _, s := range ss {
			if err := m.Apply(s); err != nil {
				return nil, nil, err
			}
		}
		return m, nil, nil
	}
}

// A schema-4 ledger has the deadline index only ledger-wide: opening it adds the
// department's, unit's and committee's keys, so their overdue lists find what is due.
func TestOpen_MigratesTheDeadlineIndex(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "v4.db")
	s, err := store.Open(path, store.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	late := request("升级前逾期的请示")
	late.AnswerBy = c.Now().Add(24 * time.Hour)
	late = mustSubmit(t, s, late)
	referred := mustSubmit(t, s, request("升级前转办的请示"))
	mustApply(t, s, referred.ID, briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: c.Now(), Text: "同意"})
	mustApply(t, s, referred.ID, briefbot.Step{Action: briefbot.ActionRefer, Actor: "zhao", At: c.Now(), Lead: "civil", Deadline: c.Now().Add(48 * time.Hour)})
	s.Close()
	removed := 0
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		ix := tx.Bucket([]byte("index"))
		var keys [][]byte
		ix.ForEach(func(k, _ []byte) error {
			if p := string(k[:3]); p == "dd\x00" || p == "da\x00" || p == "dt\x00" {
				keys = append(keys, bytes.Clone(k))
			}
			return nil
		})
		for _, k := range keys {
			if err := ix.Delete(k); err != nil {
				return err
			}
		}
		removed = len(keys)
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte("4"))
	})
	if removed != 5 { // late: dd, dt; referred: dd, dt, da
		t.Fatalf("removed %d deadline keys by department, unit and committee; want 5", removed)
	}
	s, err = store.Open(path, store.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if ps, err := s.Check(); err != nil || len(ps) != 0 {
		t.Fatalf("check after the upgrade: %v %v", ps, err)
	}
	asOf := c.Now().Add(72 * time.Hour)
	for _, tc := range []struct {
		f    briefbot.Filter
		want string
	}{
		{briefbot.Filter{OverdueAt: asOf, Department: "criminal"}, "[升级前逾期的请示 升级前转办的请示]"},
		{briefbot.Filter{OverdueAt: asOf, Committee: "party"}, "[升级前逾期的请示 升级前转办的请示]"},
		{briefbot.Filter{OverdueAt: asOf, Assignee: "civil"}, "[升级前转办的请示]"},
		{briefbot.Filter{OverdueAt: asOf, Assignee: "criminal"}, "[]"},
	} {
		p, err := s.List(ctx, tc.f)
		if got := fmt.Sprint(titles(p)); err != nil || got != tc.want {
			t.Errorf("after the upgrade, List(%+v) = %s, %v; want %s", tc.f, got, err, tc.want)
		}
	}
}
