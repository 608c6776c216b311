package notices

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/briefings"
)

// ParsePeriod reads a report period: "2026-11" (a month), "2026" (a year), or empty
// (the month of now). It returns the period and whether it is a year.
func ParsePeriod(s string, now time.Time, loc *time.Location) (from, to time.Time, yearly bool, ok bool) {
	s = strings.TrimSpace(s)
	switch {
	case s == "" || s == "month" || s == "本月":
		n := now.In(loc)
		from, to = briefings.MonthPeriod(n.Year(), n.Month(), loc)
		return from, to, false, true
	case s == "year" || s == "本年" || s == "今年":
		from, to = briefings.YearPeriod(now.In(loc).Year(), loc)
		return from, to, true, true
	}
	if y, m, found := strings.Cut(s, "-"); found {
		yi, err1 := strconv.Atoi(y)
		mi, err2 := strconv.Atoi(m)
		if err1 == nil && err2 == nil && mi >= 1 && mi <= 12 && yi > 2000 && yi < 2200 {
			from, to = briefings.MonthPeriod(yi, time.Month(mi), loc)
			return from, to, false, true
		}
		return from, to, false, false
	}
	if yi, err := strconv.Atoi(s); err == nil && yi > 2000 && yi < 2200 {
		from, to = briefings.YearPeriod(yi, loc)
		return from, to, true, true
	}
	return from, to, false, false
}

// Stats computes the roll-up of [from, to) for committee ("" = all), as seen by viewer
// (restricted matters they may not see are counted, never described).
func (p *Producer) Stats(ctx context.Context, committee briefbot.CommitteeID, from, to time.Time, viewer briefbot.MemberID) (*briefings.Stats, error) {
	rules := p.Rules()
	var matters []*briefbot.Matter
	if err := p.Ledger.Each(ctx, briefbot.Filter{Committee: committee}, func(m *briefbot.Matter) bool { matters = append(matters, m); return true }); err != nil {
		return nil, err
	}
	issued := map[briefbot.CommitteeID]int{}
	if err := p.Ledger.EachDispatch(ctx, func(d *briefbot.Dispatch) bool {
		if d.Kind == briefbot.DispatchBriefing && !d.CreatedAt.Before(from) && d.CreatedAt.Before(to) {
			issued[d.Committee]++
		}
		return true
	}); err != nil {
		return nil, err
	}
	scoring := briefings.DefaultScoring()
	if p.Scoring != nil {
		scoring = p.Scoring()
	}
	head, err := p.Ledger.AuditHead(ctx)
	if err != nil {
		return nil, err
	}
	st := briefings.ComputeStats(matters, briefings.StatsOptions{Org: &rules.Org, Committee: committee, From: from, To: to, Now: p.now(),
		Location: rules.Loc(), WorkingDays: rules.WorkingDaysBetween(), Lang: rules.LangOf(nil), BriefingsIssued: issued, Viewer: viewer, Scoring: scoring})
	st.Anchor = head.String()
	return st, nil
}

// MakeMonthlyReport puts the committee's roll-up of the month before scheduledAt in the
// outbox, to its channel, once per slot (like a briefing). Its figures describe no
// matter, so the channel may read them whoever is in it.
func (p *Producer) MakeMonthlyReport(ctx context.Context, committee briefbot.CommitteeID, slotKey string, scheduledAt time.Time) (*briefbot.Dispatch, error) {
	rules := p.Rules()
	if _, ok := rules.Org.Committee(committee); !ok {
		return nil, fmt.Errorf("no committee %q in the org config", committee)
	}
	prev := scheduledAt.In(rules.Loc()).AddDate(0, -1, 0)
	from, to := briefings.MonthPeriod(prev.Year(), prev.Month(), rules.Loc())
	s, err := p.Stats(ctx, committee, from, to, "")
	if err != nil {
		return nil, err
	}
	var ps []briefbot.Part
	for i, chunk := range Chunks(s.Mrkdwn(), 20) {
		blocks, _ := json.Marshal([]blockkit.Block{blockkit.Section(chunk)})
		ps = append(ps, briefbot.Part{Text: blockkit.Cut(s.Title, 200, "…"), Blocks: blocks, Thread: i > 0})
	}
	d, _, err := p.Ledger.CreateDispatch(ctx, &briefbot.Dispatch{Kind: briefbot.DispatchReport, Committee: committee, SlotKey: slotKey,
		ScheduledAt: scheduledAt, Parts: ps})
	return d, err
}

// chunkChars is how much mrkdwn one section of a long text carries.
const chunkChars = 2800

// Chunks cuts text into at most n pieces of at most chunkChars characters each, at
// line ends where it can, for one section each.
func Chunks(text string, n int) []string {
	var out []string
	for len(text) > 0 && len(out) < n {
		chunk := blockkit.Cut(text, chunkChars, "")
		if i := strings.LastIndex(chunk, "\n"); i > 0 && len([]rune(text)) > chunkChars {
			chunk = chunk[:i]
		}
		out = append(out, chunk)
		text = strings.TrimPrefix(text[len(chunk):], "\n")
	}
	return out
}
