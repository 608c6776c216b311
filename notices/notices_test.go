package notices_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/notices"
	"github.com/briefbot/briefbot/schedules"
	"github.com/briefbot/briefbot/store"
)

var ctx = context.Background()

var shanghai = briefbot.DefaultLocation()

// testRules are a small court's, on the official 2026 calendar.
func testRules() *briefbot.Rules {
	return &briefbot.Rules{
		Org: briefbot.Org{
			Name: "某市中级人民法院",
			Committees: []briefbot.Committee{
				{ID: "party", Name: "党组", Leaders: []briefbot.MemberID{"zhao"}, Clerks: []briefbot.MemberID{"qian"}},
				{ID: "pl", Name: "市委政法委", Leaders: []briefbot.MemberID{"sun"}, Clerks: []briefbot.MemberID{"li"}},
			},
			Departments: []briefbot.Department{
				{ID: "criminal", Name: "刑事审判庭", Principal: "zhou", Heads: []briefbot.MemberID{"wu"}},
				{ID: "civil", Name: "民事审判庭", Principal: "zheng"},
			},
			Members: []briefbot.Member{
				{ID: "zhao", Name: "赵书记"}, {ID: "qian", Name: "钱主任"}, {ID: "sun", Name: "孙书记"}, {ID: "li", Name: "李主任"},
				{ID: "zhou", Name: "周庭长"}, {ID: "wu", Name: "吴副庭长"}, {ID: "zheng", Name: "郑庭长", Lang: briefbot.LangEN},
			},
		},
		Intake:        briefbot.DefaultIntakeRules(),
		Location:      shanghai,
		Calendar:      schedules.DefaultCalendar(),
		FollowThrough: briefbot.DefaultFollowThrough(),
	}
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func at(month time.Month, day, hour, min int) time.Time {
	return time.Date(2026, month, day, hour, min, 0, 0, shanghai)
}

// openStore opens a ledger in a temp dir, checked and closed when the test ends.
func openStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "n.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if ps, err := s.Check(); err != nil || len(ps) > 0 {
			t.Errorf("consistency check: %v %v", err, ps)
		}
		s.Close()
	})
	return s
}

func producer(s *store.Store, rules *briefbot.Rules, c *clock) *notices.Producer {
	return &notices.Producer{Ledger: s, Rules: func() *briefbot.Rules { return rules }, Now: c.now}
}

func req(title string) *briefbot.Matter {
	return &briefbot.Matter{Kind: briefbot.KindRequest, Title: title, RequestedItem: "事项", Reasons: "理由", Recommendation: "建议",
		Department: "criminal", Submitter: "wu", Signatory: "zhou", Addressee: "party", Unclassified: true, Decision: briefbot.DecisionCollective}
}

// steps is the Change that applies steps in order, unchecked by the rules: for setting
// up a matter's past.
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

// referred submits a request and refers it to the criminal division with deadline.
func referred(t *testing.T, s *store.Store, title string, when, deadline time.Time) *briefbot.Matter {
	t.Helper()
	r, err := s.Submit(ctx, req(title), nil, briefbot.Delivery{})
	if err != nil {
		t.Fatal(err)
	}
	r, err = s.Apply(ctx, briefbot.RefID(r.Matter.ID), steps(
		briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: when, Text: "请刑庭办理"},
		briefbot.Step{Action: briefbot.ActionRefer, Actor: "zhao", At: when, Lead: "criminal", Deadline: deadline}), briefbot.Delivery{})
	if err != nil {
		t.Fatal(err)
	}
	return r.Matter
}
