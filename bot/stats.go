package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/store"
	"github.com/slack-go/slack"
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

// StatsFor computes the roll-up of [from, to) for committee ("" = all), as seen by
// viewer (restricted matters they may not see are counted, never described).
func StatsFor(st interface {
	Each(f store.Filter, fn func(*briefbot.Matter) bool) error
	EachDispatch(fn func(*briefbot.Dispatch) bool) error
}, dir *Directory, committee string, from, to, now time.Time, loc *time.Location, viewer briefbot.MemberID) (*briefings.Stats, error) {
	var matters []*briefbot.Matter
	if err := st.Each(store.Filter{Committee: committee}, func(m *briefbot.Matter) bool { matters = append(matters, m); return true }); err != nil {
		return nil, err
	}
	issued := map[string]int{}
	if err := st.EachDispatch(func(d *briefbot.Dispatch) bool {
		if d.Kind == briefbot.DispatchBriefing && !d.CreatedAt.Before(from) && d.CreatedAt.Before(to) {
			issued[d.Committee]++
		}
		return true
	}); err != nil {
		return nil, err
	}
	return briefings.ComputeStats(matters, briefings.StatsOptions{Org: &dir.Org, Committee: committee, From: from, To: to, Now: now,
		Location: loc, WorkingDays: dir.WorkingDays, Lang: dir.lang(nil), BriefingsIssued: issued, Viewer: viewer, Scoring: dir.Scoring}), nil
}

// stats answers `stats [2026-11 | 2026] [committee]`: for the committees' leaders and
// clerks, and admins (figures only: the roll-up describes no matter).
func (b *Bot) stats(ctx context.Context, v *view, args []string) Message {
	org := &v.dir.Org
	if len(org.CommitteesOf(v.me.ID)) == 0 && !org.IsAdmin(v.me.ID) {
		return textMessage(v.tr(msgStatsWho))
	}
	committee, period := "", ""
	for _, a := range args {
		if c := findCommittee(org, a); c != nil {
			committee = c.ID
		} else {
			period = a
		}
	}
	from, to, _, ok := ParsePeriod(period, v.now, v.loc)
	if !ok {
		return textMessage(v.tr(msgStatsUsage, v.dir.Command))
	}
	s, err := StatsFor(b.store, v.dir, committee, from, to, v.now, v.loc, v.me.ID)
	if err != nil {
		return b.errorMessage(err, v.lang, "stats")
	}
	text := s.Mrkdwn()
	var blocks []slack.Block
	for len(text) > 0 && len(blocks) < maxMessageBlocks-1 {
		chunk := cut(text, 2800, "")
		if i := strings.LastIndex(chunk, "\n"); i > 0 && len([]rune(text)) > 2800 {
			chunk = chunk[:i]
		}
		blocks = append(blocks, section(chunk))
		text = strings.TrimPrefix(text[len(chunk):], "\n")
	}
	return Message{Text: cut(s.Title, 200, "…"), Blocks: blocks}
}

// MakeMonthlyReport puts the committee's roll-up of the month before scheduledAt in the
// outbox, to its channel, once per slot (like a briefing). Its figures describe no
// matter, so the channel may read them whoever is in it.
func (b *Bot) MakeMonthlyReport(ctx context.Context, committee, slotKey string, scheduledAt time.Time) (*briefbot.Dispatch, error) {
	dir := b.Directory()
	if _, ok := dir.Org.Committee(committee); !ok {
		return nil, fmt.Errorf("no committee %q in the org config", committee)
	}
	prev := scheduledAt.In(b.loc).AddDate(0, -1, 0)
	from, to := briefings.MonthPeriod(prev.Year(), prev.Month(), b.loc)
	s, err := StatsFor(b.store, dir, committee, from, to, b.now(), b.loc, "")
	if err != nil {
		return nil, err
	}
	var parts []briefbot.Part
	text := s.Mrkdwn()
	for i := 0; len(text) > 0 && i < 20; i++ {
		chunk := cut(text, 2800, "")
		if j := strings.LastIndex(chunk, "\n"); j > 0 && len([]rune(text)) > 2800 {
			chunk = chunk[:j]
		}
		text = strings.TrimPrefix(text[len(chunk):], "\n")
		blocks, _ := json.Marshal([]slack.Block{section(chunk)})
		parts = append(parts, briefbot.Part{Text: cut(s.Title, 200, "…"), Blocks: blocks, Thread: i > 0})
	}
	d, existed, err := b.store.CreateDispatch(ctx, &briefbot.Dispatch{Kind: briefbot.DispatchReport, Committee: committee, SlotKey: slotKey,
		ScheduledAt: scheduledAt, Parts: parts})
	if err == nil && !existed {
		(*b.kick.Load())()
	}
	return d, err
}
