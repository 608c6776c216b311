package store_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
)

// TestProperty_RandomCommandSequences drives the store with random submissions and
// random steps (legal, illegal and malformed) and checks after every command that the
// store agrees with the vocabulary applied in memory, that no stored matter is in a
// state the machine cannot reach, and (at the end, through MustOpen's check) that
// ledger numbers are unique and gapless and the indexes agree with the records.
func TestProperty_RandomCommandSequences(t *testing.T) {
	seeds := 8
	if testing.Short() {
		seeds = 2
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(seed), 42))
			c := newClock()
			s := MustOpen(t, c)
			model := map[uint64]*briefbot.Matter{}
			var ids []uint64
			for i := range 400 {
				c.Add(time.Duration(rng.IntN(7200)) * time.Second)
				if len(ids) == 0 || rng.IntN(4) == 0 {
					m := randomMatter(rng, i)
					r, err := s.Submit(ctx, m, nil, briefbot.Delivery{Key: fmt.Sprint("d", rng.IntN(500))})
					if err != nil {
						if briefbot.ErrorCode(err) != briefbot.EINVALID {
							t.Fatalf("Submit: %v", err)
						}
						continue
					}
					if !r.Duplicate {
						model[r.Matter.ID] = r.Matter
						ids = append(ids, r.Matter.ID)
					} else if !sameMatter(r.Matter, model[r.Matter.ID]) {
						t.Fatalf("duplicate delivery returned a different matter")
					}
					continue
				}
				id := ids[rng.IntN(len(ids))]
				step := randomStep(rng, c.Now())
				want := model[id].Clone()
				wantErr := want.Apply(step)
				r, err := s.Apply(ctx, briefbot.RefID(id), steps(step), briefbot.Delivery{})
				if briefbot.ErrorCode(err) != briefbot.ErrorCode(wantErr) {
					t.Fatalf("step %d %s on %s: store says %v, vocabulary says %v", i, step.Action, model[id].Status, err, wantErr)
				}
				if err != nil {
					continue
				}
				if !sameMatter(r.Matter, want) {
					t.Fatalf("step %d: stored matter differs from the vocabulary's\nstore: %+v\nwant:  %+v", i, r.Matter, want)
				}
				if err := r.Matter.CheckInvariants(); err != nil {
					t.Fatalf("step %d reached an invalid state: %v", i, err)
				}
				model[id] = r.Matter
			}
			for id, want := range model {
				got, err := s.Matter(ctx, briefbot.RefID(id))
				if err != nil || !sameMatter(got, want) {
					t.Fatalf("matter %d after the run: %v\n got %+v\nwant %+v", id, err, got, want)
				}
			}
		})
	}
}

func randomMatter(rng *rand.Rand, i int) *briefbot.Matter {
	var m *briefbot.Matter
	switch rng.IntN(3) {
	case 0:
		m = request(fmt.Sprintf("随机请示%d", i))
		if rng.IntN(2) == 0 {
			m.AnswerBy = time.Date(2026, 3, 2+rng.IntN(60), 17, 0, 0, 0, shanghai)
		}
	case 1:
		m = report(fmt.Sprintf("随机报告%d", i))
	default:
		m = report(fmt.Sprintf("随机报备%d", i))
		m.Kind, m.ReportType = briefbot.KindFiling, ""
	}
	m.Urgency = briefbot.Urgencies[rng.IntN(len(briefbot.Urgencies))]
	if rng.IntN(20) == 0 {
		m.Body = "秘密★ 不得保存"
	}
	return m
}

func randomStep(rng *rand.Rand, now time.Time) briefbot.Step {
	s := briefbot.Step{
		Action: briefbot.Actions[rng.IntN(len(briefbot.Actions))],
		Actor:  []briefbot.MemberID{"zhao", "qian", "wu", "zheng"}[rng.IntN(4)],
		At:     now,
	}
	if rng.IntN(8) > 0 {
		s.Reason = "理由"
	}
	if rng.IntN(8) > 0 {
		s.Text = "内容"
	}
	if rng.IntN(6) == 0 {
		s.OnBehalfOf = "sun"
	}
	if rng.IntN(8) > 0 {
		s.Lead = []briefbot.DepartmentID{"criminal", "civil"}[rng.IntN(2)]
	}
	if rng.IntN(6) == 0 {
		s.Assisting = []briefbot.DepartmentID{"civil"}
	}
	s.Deadline = now.Add(time.Duration(rng.IntN(30*24)-48) * time.Hour)
	if rng.IntN(10) == 0 {
		s.Corrects = rng.IntN(3)
	}
	return s
}

// sameMatter compares matters as stored (JSON), where times keep their instant and
// offset but not the name of their zone.
func sameMatter(a, b *briefbot.Matter) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
