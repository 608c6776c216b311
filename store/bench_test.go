package store_test

// Benchmarks of the ledger store (issue 2). The figures and the command that produced
// them are in BENCHMARKS.md; `make bench-store` runs the same command.
//
//   - BenchmarkSubmit and BenchmarkRawBoltPut: durable writes (fsync on) from 1 and 64
//     concurrent callers, Submit against a raw bbolt baseline doing the least a ledger
//     write could do (one ~1 KiB record and one index key per transaction).
//   - BenchmarkGetByNumber, BenchmarkListOverdue, BenchmarkSearch and BenchmarkOpen: on
//     a file holding 1,000,000 matters. The file is built once (a few minutes) and kept
//     at os.TempDir()/briefbot-bench-1m.db for later runs; delete it to rebuild.
//     BRIEFBOT_BENCH_MATTERS=n builds and uses a smaller file instead (for trying the
//     benchmarks out quickly).
//
// The fixtures below (realistic Chinese matters) are shared with crash_test.go.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

// ---- Fixtures ----

var (
	benchLoc = briefbot.DefaultLocation()

	fixtureCourts = []string{"京01", "沪01", "粤03", "浙02", "苏05", "川01", "鄂01", "陕01"}

	fixtureCases = []string{
		"张某某涉嫌非法吸收公众存款案", "某房地产开发有限公司破产重整案", "李某某故意伤害案",
		"某区人民政府行政协议纠纷案", "王某某等人组织、领导黑社会性质组织案", "某银行金融借款合同纠纷系列案",
		"赵某某受贿案", "某建设集团建设工程施工合同纠纷案", "陈某某交通肇事案", "某物业公司劳动争议群体性案件",
		"刘某某合同诈骗案", "某环保科技公司环境污染责任纠纷案", "周某某危险驾驶案", "某村集体土地征收补偿纠纷案",
	}

	fixtureRequestIssues = []string{
		"审理有关问题", "延长审理期限", "依法公开开庭审理", "提请审判委员会讨论", "指定异地管辖",
		"采取财产保全措施", "邀请人大代表旁听庭审", "对被告人变更强制措施",
	}
	fixtureReportIssues = []string{
		"审理进展情况", "网络舆情处置情况", "执行工作开展情况", "庭审直播安排情况", "信访化解工作情况", "风险评估情况",
	}
	fixtureFilingIssues = []string{
		"判决结果", "宣判安排", "新闻发布安排", "执行和解情况", "案件移送情况",
	}

	fixtureSentences = []string{
		"该案于今年初由我院立案受理，依法组成合议庭进行审理，合议庭已完成庭前会议和证据交换。",
		"案件涉及当事人人数众多，涉案金额较大，社会关注度较高，部分当事人情绪较为激动。",
		"合议庭经评议认为，本案事实基本清楚，但在法律适用上存在一定分歧，需要进一步研究。",
		"我庭已会同立案、执行等部门制定风险防控预案，并与属地党委政府保持密切沟通。",
		"目前网络上已出现少量与本案有关的信息，我院已安排专人进行监测，暂未发现负面炒作。",
		"下一步，我庭将严格依照法定程序推进审理工作，确保案件审理的政治效果、法律效果和社会效果相统一。",
		"为确保审判工作顺利开展，我庭拟在开庭前再次组织风险研判，及时化解可能出现的不稳定因素。",
		"根据有关规定，本案应当在法定期限内审结，现距审限届满尚有一段时间，各项工作按计划推进。",
		"庭审过程中，公诉机关、辩护人及诉讼代理人均充分发表了意见，庭审秩序总体良好。",
		"执行过程中，被执行人已主动履行部分义务，申请执行人对执行进展表示理解和认可。",
		"我庭将持续关注案件进展情况，如有重大变化，将第一时间向院党组报告。",
		"本案审理工作坚持依法独立公正行使审判权，严格执行过问案件记录报告制度。",
	}

	fixtureDepts = []struct {
		id, code  string
		submitter briefbot.MemberID
		signatory briefbot.MemberID
	}{
		{"criminal", "刑初", "wu", "zhou"},
		{"civil", "民初", "zheng", "zheng"},
		{"commercial", "商初", "feng", "chu"},
		{"administrative", "行初", "wei", "jiang"},
		{"enforcement", "执", "shen", "han"},
		{"filing", "立", "yang", "zhu"},
	}

	fixtureCommittees = []string{"party", "pl", "adjudication"}
	fixtureCategories = []string{"重大案件", "敏感案件", "重大风险", "队伍安全", "其他"}
	fixtureBodies     = buildBodies(16)
)

// benchRareWord appears in the title of one matter in fixtureRareEvery, so a search
// for it must look at every title.
const (
	benchRareWord    = "鲲鹏"
	fixtureRareEvery = 50_000
)

// buildBodies returns n bodies of about 300 Chinese characters each.
func buildBodies(n int) []string {
	bodies := make([]string, n)
	for i := range bodies {
		var b []byte
		for j := i; utf8.RuneCount(b) < 300; j += 5 {
			b = append(b, fixtureSentences[j%len(fixtureSentences)]...)
		}
		bodies[i] = string(b)
	}
	return bodies
}

// fixtureMatter returns the i-th matter of a realistic stream: requests, reports and
// filings in turn (kind is i%3), from six departments to three committees. caseNo
// makes the title unique; submittedAround is roughly when it will be submitted, from
// which a request's answer deadline is set 3 to 15 days later (so a mix of deadlines
// already passed and still to come at any moment after the start of the stream).
func fixtureMatter(i int, caseNo string, submittedAround time.Time) *briefbot.Matter {
	d := fixtureDepts[i/3%len(fixtureDepts)]
	cs := fixtureCases[i/7%len(fixtureCases)]
	if i%fixtureRareEvery == fixtureRareEvery-1 {
		cs = "某" + benchRareWord + "科技公司侵害商业秘密纠纷案"
	}
	court := fixtureCourts[i/11%len(fixtureCourts)]
	ref := fmt.Sprintf("（%d）%s%s%s号", submittedAround.Year(), court, d.code, caseNo)
	m := &briefbot.Matter{
		Department:   briefbot.DepartmentID(d.id),
		Submitter:    d.submitter,
		Signatory:    d.signatory,
		SignedOn:     submittedAround.Add(-24 * time.Hour),
		Decision:     briefbot.DecisionCollective,
		Urgency:      briefbot.UrgencyOrdinary,
		Addressee:    briefbot.CommitteeID(fixtureCommittees[i/5%len(fixtureCommittees)]),
		Category:     fixtureCategories[i/13%len(fixtureCategories)],
		Body:         fixtureBodies[i%len(fixtureBodies)],
		Unclassified: true,
	}
	if i%4 == 0 {
		m.Copied = []briefbot.CommitteeID{briefbot.CommitteeID(fixtureCommittees[(i/5+1)%len(fixtureCommittees)])}
	}
	if i%10 == 0 {
		m.Urgency = briefbot.UrgencyUrgent
	}
	switch i % 3 {
	case 0:
		issue := fixtureRequestIssues[i/17%len(fixtureRequestIssues)]
		m.Kind = briefbot.KindRequest
		m.Title = "关于" + ref + cs + issue + "的请示"
		m.RequestedItem = "拟对" + ref + "案件" + issue
		m.Reasons = "该案社会关注度高，涉及人数众多，审理难度较大。"
		m.Recommendation = "建议同意按上述意见办理。"
		m.AnswerBy = submittedAround.Add(time.Duration(3+i%13) * 24 * time.Hour)
	case 1:
		m.Kind = briefbot.KindReport
		m.ReportType = []briefbot.ReportType{briefbot.ReportSituation, briefbot.ReportSpecial, briefbot.ReportPeriodic}[i/3%3]
		m.Title = "关于" + ref + cs + fixtureReportIssues[i/19%len(fixtureReportIssues)] + "的报告"
	default:
		m.Kind = briefbot.KindFiling
		m.Title = "关于" + ref + cs + fixtureFilingIssues[i/23%len(fixtureFilingIssues)] + "的报备"
	}
	return m
}

// ---- Durable writes: Submit against raw bbolt ----

// submitPool is enough distinct matters that writers rarely submit the same template
// twice in a row; Submit copies its argument, so templates are reused safely.
func submitPool(n int) []*briefbot.Matter {
	now := time.Now().In(benchLoc)
	ms := make([]*briefbot.Matter, n)
	for i := range ms {
		ms[i] = fixtureMatter(i, strconv.Itoa(10000+i), now)
	}
	return ms
}

// runWriters calls op(i) for i in [0, b.N) from `writers` goroutines and reports the
// throughput.
func runWriters(b *testing.B, writers int, op func(i int) error) {
	var next atomic.Int64
	var failed atomic.Pointer[error]
	var wg sync.WaitGroup
	b.ResetTimer()
	for range writers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				if err := op(i); err != nil {
					failed.CompareAndSwap(nil, &err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	if err := failed.Load(); err != nil {
		b.Fatal(*err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

func BenchmarkSubmit(b *testing.B) {
	pool := submitPool(1024)
	for _, writers := range []int{1, 64} {
		b.Run(fmt.Sprintf("submitters=%d", writers), func(b *testing.B) {
			s, err := store.Open(filepath.Join(b.TempDir(), "ledger.db"), store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ctx := context.Background()
			run := strconv.FormatInt(time.Now().UnixNano(), 36)
			runWriters(b, writers, func(i int) error {
				_, err := s.Submit(ctx, pool[i%len(pool)], nil, briefbot.Delivery{Key: "bench-" + run + "-" + strconv.Itoa(i)})
				return err
			})
		})
	}
}

func BenchmarkRawBoltPut(b *testing.B) {
	value := make([]byte, 1024)
	copy(value, fixtureBodies[0])
	for _, writers := range []int{1, 64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			db, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			err = db.Update(func(tx *bolt.Tx) error {
				if _, err := tx.CreateBucket([]byte("matters")); err != nil {
					return err
				}
				_, err := tx.CreateBucket([]byte("index"))
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			runWriters(b, writers, func(int) error {
				return db.Update(func(tx *bolt.Tx) error {
					mb := tx.Bucket([]byte("matters"))
					id, err := mb.NextSequence()
					if err != nil {
						return err
					}
					key := be64(id)
					if err := mb.Put(key, value); err != nil {
						return err
					}
					return tx.Bucket([]byte("index")).Put(append([]byte("st\x00submitted\x00"), key...), nil)
				})
			})
		})
	}
}

func be64(v uint64) []byte {
	return []byte{byte(v >> 56), byte(v >> 48), byte(v >> 40), byte(v >> 32), byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}

// ---- Reads on a large ledger ----

// The large ledger is submitted by a simulated clock: matter i around
// bigStart + i*bigStep, all in 2026, so each kind's series holds exactly its share of
// the matters. Requests answer 3 to 15 days later; at bigAsOf (mid-stream) those
// submitted before it, less a few days, are overdue and the rest are not yet due.
var (
	bigStart = time.Date(2026, 1, 5, 9, 0, 0, 0, benchLoc)
	bigAsOf  = time.Date(2026, 5, 1, 9, 0, 0, 0, benchLoc)
)

const (
	bigDefault = 1_000_000
	bigStep    = 20 * time.Second
	bigLoaders = 1024
)

func bigCount(b *testing.B) int {
	if v := os.Getenv("BRIEFBOT_BENCH_MATTERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 3 {
			b.Fatalf("BRIEFBOT_BENCH_MATTERS=%q: want a number of matters, at least 3", v)
		}
		return n
	}
	return bigDefault
}

func bigPath(n int) string {
	name := fmt.Sprintf("briefbot-bench-%d.db", n)
	if n == bigDefault {
		name = "briefbot-bench-1m.db"
	}
	return filepath.Join(os.TempDir(), name)
}

// seriesCount is how many matters of kind k the large ledger of n holds (kind is i%3).
func seriesCount(n int, k briefbot.Kind) int {
	off := map[briefbot.Kind]int{briefbot.KindRequest: 0, briefbot.KindReport: 1, briefbot.KindFiling: 2}[k]
	return (n - off + 2) / 3
}

var bigOnce struct {
	sync.Mutex
	ready map[int]bool
}

// bigLedger returns the path of the large ledger of bigCount matters, building it if it
// is missing or does not hold what it should.
func bigLedger(b *testing.B) (string, int) {
	n := bigCount(b)
	path := bigPath(n)
	bigOnce.Lock()
	defer bigOnce.Unlock()
	if bigOnce.ready[n] {
		return path, n
	}
	if err := probeBig(path, n); err != nil {
		b.Logf("building %s with %d matters (%v)", path, n, err)
		start := time.Now()
		if err := buildBig(path, n); err != nil {
			b.Fatal(err)
		}
		b.Logf("built %d matters in %s", n, time.Since(start).Round(time.Second))
		if err := probeBig(path, n); err != nil {
			b.Fatal(err)
		}
	}
	if bigOnce.ready == nil {
		bigOnce.ready = map[int]bool{}
	}
	bigOnce.ready[n] = true
	return path, n
}

// probeBig checks that the file at path holds the large ledger of n: the last number of
// each series exists and the next one does not.
func probeBig(path string, n int) error {
	if _, err := os.Stat(path); err != nil {
		return errors.New("missing")
	}
	s, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	for _, k := range briefbot.Kinds {
		last := briefbot.Number{Kind: k, Year: 2026, Seq: seriesCount(n, k)}
		if _, err := s.Matter(ctx, briefbot.RefNumber(last)); err != nil {
			return fmt.Errorf("%s: %w", last, err)
		}
		past := last
		past.Seq++
		if _, err := s.Matter(ctx, briefbot.RefNumber(past)); briefbot.ErrorCode(err) != briefbot.ENOTFOUND {
			return fmt.Errorf("%s should not exist (%v)", past, err)
		}
	}
	return nil
}

// buildBig writes the large ledger of n at path: without fsync, in big shared
// transactions, from many goroutines; then syncs the file once and puts it in place.
func buildBig(path string, n int) error {
	tmp := path + ".building"
	os.Remove(tmp)
	defer os.Remove(tmp)
	var tick atomic.Int64
	clock := func() time.Time { return bigStart.Add(time.Duration(tick.Add(1)-1) * bigStep) }
	s, err := store.Open(tmp, store.Options{NoSync: true, MaxBatch: 2048, Now: clock, Location: benchLoc})
	if err != nil {
		return err
	}
	ctx := context.Background()
	var next atomic.Int64
	var failed atomic.Pointer[error]
	var wg sync.WaitGroup
	for range bigLoaders {
		wg.Go(func() {
			for failed.Load() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				m := fixtureMatter(i, strconv.Itoa(1000+i%90000), bigStart.Add(time.Duration(i)*bigStep))
				if _, err := s.Submit(ctx, m, nil, briefbot.Delivery{}); err != nil {
					failed.CompareAndSwap(nil, &err)
				}
			}
		})
	}
	wg.Wait()
	if err := s.Close(); err != nil {
		return err
	}
	if err := failed.Load(); err != nil {
		return *err
	}
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// openBig opens the large ledger for reading and writing, fsync on, as the bot would,
// after reading the whole file once: the figures are those of a running bot whose file
// is in the page cache, not of the first queries after a reboot.
func openBig(b *testing.B) (*store.Store, int) {
	path, n := bigLedger(b)
	if err := warm(path); err != nil {
		b.Fatal(err)
	}
	s, err := store.Open(path, store.Options{Timeout: 5 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, n
}

// warm reads the file at path once, so that it is in the page cache.
func warm(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}

func BenchmarkGetByNumber(b *testing.B) {
	s, n := openBig(b)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	nums := make([]briefbot.Number, 4096)
	for i := range nums {
		k := briefbot.Kinds[rng.IntN(3)]
		nums[i] = briefbot.Number{Kind: k, Year: 2026, Seq: 1 + rng.IntN(seriesCount(n, k))}
	}
	for i := 0; b.Loop(); i++ {
		m, err := s.Matter(ctx, briefbot.RefNumber(nums[i%len(nums)]))
		if err != nil {
			b.Fatal(err)
		}
		if m.Number != nums[i%len(nums)] {
			b.Fatalf("asked for %s, got %s", nums[i%len(nums)], m.Number)
		}
	}
	b.ReportMetric(float64(n), "matters")
}

func BenchmarkListOverdue(b *testing.B) {
	s, n := openBig(b)
	p, err := s.List(ctx, briefbot.Filter{OverdueAt: bigAsOf, Limit: 20})
	if err != nil {
		b.Fatal(err)
	}
	if len(p.Matters) != 20 || !p.More {
		b.Fatalf("overdue at %s: %d matters (more: %v), want a full first page", bigAsOf, len(p.Matters), p.More)
	}
	for b.Loop() {
		if _, err := s.List(ctx, briefbot.Filter{OverdueAt: bigAsOf, Limit: 20}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "matters")
}

// BenchmarkListOverdueNoMatch is an overdue list narrowed to a department with nothing
// overdue (briefbot list --overdue --dept). Before schema 5 it walked the ledger-wide
// deadline index and decoded every overdue matter; now it reads the department's own.
func BenchmarkListOverdueNoMatch(b *testing.B) {
	s, n := openBig(b)
	for b.Loop() {
		p, err := s.List(ctx, briefbot.Filter{OverdueAt: bigAsOf, Department: "no-such-department", Limit: 20})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Matters) != 0 {
			b.Fatalf("%d matters of a department that does not exist", len(p.Matters))
		}
	}
	b.ReportMetric(float64(n), "matters")
}

// benchList times the first page of List(f) on the large ledger; want says how many
// matters that page must hold.
func benchList(b *testing.B, f briefbot.Filter, want int) {
	s, n := openBig(b)
	benchListOn(b, s, n, f, want)
}

func benchListOn(b *testing.B, s *store.Store, n int, f briefbot.Filter, want int) {
	p, err := s.List(ctx, f)
	if err != nil {
		b.Fatal(err)
	}
	if len(p.Matters) != want {
		b.Fatalf("List(%+v): %d matters, want %d", f, len(p.Matters), want)
	}
	for b.Loop() {
		if _, err := s.List(ctx, f); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "matters")
}

// The lists users ask for, narrowed the way they narrow them: a department's overdue
// matters (first page), a department's matters before one committee (two large index
// entries to intersect), a committee's awaiting matters, and two that match nothing
// although every criterion alone matches much: a department's instructed matters
// (none is instructed) and a unit's overdue assignments (none is assigned).

func BenchmarkListOverdueDept(b *testing.B) {
	benchList(b, briefbot.Filter{OverdueAt: bigAsOf, Department: "civil", Limit: 20}, 20)
}

func BenchmarkListDeptCommittee(b *testing.B) {
	benchList(b, briefbot.Filter{Department: "civil", Committee: "pl", Limit: 20}, 20)
}

func BenchmarkListAwaitingCommittee(b *testing.B) {
	benchList(b, briefbot.Filter{Awaiting: true, Committee: "party", Limit: 20}, 20)
}

func BenchmarkListDeptStatusNoMatch(b *testing.B) {
	benchList(b, briefbot.Filter{Department: "civil", Statuses: []briefbot.Status{briefbot.StatusInstructed}, Limit: 20}, 0)
}

func BenchmarkListOverdueUnitNoMatch(b *testing.B) {
	benchList(b, briefbot.Filter{OverdueAt: bigAsOf, Assignee: "civil", Limit: 20}, 0)
}

// The 500th page of a department's matters, by offset (every matter before it
// decoded and skipped) and by the cursor where the 499th ended (the next-page button).

func BenchmarkListDeepPageOffset(b *testing.B) {
	benchList(b, briefbot.Filter{Department: "civil", Offset: 499 * 20, Limit: 20}, 20)
}

func BenchmarkListDeepPageCursor(b *testing.B) {
	s, n := openBig(b)
	f := briefbot.Filter{Department: "civil", Limit: 20}
	for range 499 {
		p, err := s.List(ctx, f)
		if err != nil || !p.More {
			b.Fatalf("walking to page 500: %v (more: %v)", err, p.More)
		}
		f.After = p.Next
	}
	benchListOn(b, s, n, f, 20)
}

// BenchmarkListNewPages lists a department's pages one after another by cursor, so
// that every page is one no list read before: what a list costs when none of its
// matters is kept decoded (the benchmarks above read the same page over and over).
func BenchmarkListNewPages(b *testing.B) {
	s, n := openBig(b)
	f := briefbot.Filter{Department: "civil", Limit: 20}
	for b.Loop() {
		p, err := s.List(ctx, f)
		if err != nil || len(p.Matters) == 0 {
			b.Fatalf("%d matters (%v)", len(p.Matters), err)
		}
		f.After = p.Next // the zero cursor after the last page: from the start again
	}
	b.ReportMetric(float64(n), "matters")
}

func BenchmarkSearch(b *testing.B) {
	s, n := openBig(b)
	want := n / fixtureRareEvery
	for b.Loop() {
		p, err := s.Search(ctx, benchRareWord, briefbot.Filter{Limit: 20})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Matters) != min(want, 20) {
			b.Fatalf("search %q: %d matters, want %d", benchRareWord, len(p.Matters), min(want, 20))
		}
	}
	b.ReportMetric(float64(n), "matters")
}

// benchSearch times the first page of Search(q) on the large ledger; check looks at
// the first answer.
func benchSearch(b *testing.B, q string, check func(p briefbot.Page) error) {
	s, n := openBig(b)
	p, err := s.Search(ctx, q, briefbot.Filter{Limit: 20})
	if err == nil {
		err = check(p)
	}
	if err != nil {
		b.Fatalf("search %q: %v", q, err)
	}
	for b.Loop() {
		if _, err := s.Search(ctx, q, briefbot.Filter{Limit: 20}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(p.Matters)), "found")
	b.ReportMetric(float64(n), "matters")
}

// fullPage wants a whole first page with more to follow: a word in many matters.
func fullPage(p briefbot.Page) error {
	if len(p.Matters) != 20 || !p.More {
		return fmt.Errorf("%d matters (more: %v), want a full first page", len(p.Matters), p.More)
	}
	return nil
}

// BenchmarkSearchCommon searches a word found in about one title in five.
func BenchmarkSearchCommon(b *testing.B) { benchSearch(b, "合同纠纷", fullPage) }

// BenchmarkSearchWords searches two words that are found together in about one matter
// in 84 (a case and an issue).
func BenchmarkSearchWords(b *testing.B) { benchSearch(b, "破产重整 风险评估", fullPage) }

// benchCase is the case number in the title of the matter in the middle of the large
// ledger of n, as the fixture wrote it (（2026）沪01刑初10017号) and bare
// (2026沪01刑初10017).
func benchCase(n int) (written, bare string) {
	i := n / 2
	d := fixtureDepts[i/3%len(fixtureDepts)]
	court := fixtureCourts[i/11%len(fixtureCourts)]
	year := bigStart.Add(time.Duration(i) * bigStep).Year()
	no := 1000 + i%90000
	return fmt.Sprintf("（%d）%s%s%d号", year, court, d.code, no), fmt.Sprintf("%d%s%s%d", year, court, d.code, no)
}

// BenchmarkSearchCaseNumber searches one case number as written in the titles and as
// people type it without brackets (which the scan of titles before the search index
// did not find).
func BenchmarkSearchCaseNumber(b *testing.B) {
	written, bare := benchCase(bigCount(b))
	for _, q := range []struct{ name, q string }{{"written", written}, {"bare", bare}} {
		b.Run(q.name, func(b *testing.B) {
			benchSearch(b, q.q, func(p briefbot.Page) error {
				if len(p.Matters) == 0 || !strings.Contains(p.Matters[0].Title, written) {
					return errors.New("the matter with the case number not found")
				}
				return nil
			})
		})
	}
}

func BenchmarkOpen(b *testing.B) {
	path, n := bigLedger(b)
	for b.Loop() {
		s, err := store.Open(path, store.Options{Timeout: 5 * time.Second})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(fi.Size()), "bytes")
	b.ReportMetric(float64(n), "matters")
}
