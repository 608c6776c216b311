package schedules

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/briefbot/briefbot"
	"github.com/robfig/cron/v3"
)

// Policy says what happens to a slot that falls on a day that is not a working day.
type Policy string

// Holiday policies.
const (
	// Skip drops the slot: nothing is delivered for it. This is the default.
	Skip Policy = "skip"
	// NextWorkingDay moves the slot to the same wall-clock time on the first working
	// day after its date. Slots of one schedule that end up due at the same instant
	// are delivered once (see Schedule.SlotsBetween).
	NextWorkingDay Policy = "next_working_day"
)

// MinInterval is the shortest time allowed between two slots of one schedule: a
// briefing schedule that fires every minute is a mistake, not a wish.
const MinInterval = 5 * time.Minute

// Spec is a schedule as configured.
type Spec struct {
	// ID names the schedule, e.g. "party/weekly". It is part of every slot's key, so
	// it must be unique and must not change once slots have been delivered. It may
	// not be empty nor contain white space or "@".
	ID string
	// Cron is a standard five-field cron spec (minute hour day-of-month month
	// day-of-week), or one of the descriptors @yearly, @annually, @monthly, @weekly,
	// @daily, @midnight, @hourly. "@every <duration>" is refused: it is not tied to
	// the wall clock, so its slots would have no stable identity. A CRON_TZ= or TZ=
	// prefix is refused: the zone comes from Location.
	Cron string
	// Location is the zone the spec's wall-clock times are read in; nil means
	// briefbot.DefaultLocation() (Asia/Shanghai).
	Location *time.Location
	// OnHoliday is what to do with a slot that falls on a non-working day; "" means Skip.
	OnHoliday Policy
}

// Schedule is a validated Spec. It is immutable and safe for concurrent use.
type Schedule struct {
	spec Spec
	cron *cron.SpecSchedule
}

// ID returns the schedule's ID.
func (sch *Schedule) ID() string { return sch.spec.ID }

// Spec returns the schedule's spec with defaults filled in: Location is never nil and
// OnHoliday never empty.
func (sch *Schedule) Spec() Spec { return sch.spec }

// Location returns the zone the schedule's wall-clock times are read in.
func (sch *Schedule) Location() *time.Location { return sch.spec.Location }

// ParseSpec validates s and returns its Schedule. It refuses, with an EINVALID
// *briefbot.Error of Reason briefbot.ReasonSchedule whose message names the spec and the reason:
// an empty or malformed ID, a cron spec that does not parse as a standard five-field
// spec or descriptor, a CRON_TZ=/TZ= prefix, "@every", a spec that never fires (such as
// "0 9 30 2 *"), a spec that fires more often than every MinInterval (such as
// "* * * * *"), and an unknown OnHoliday policy.
func ParseSpec(s Spec) (*Schedule, error) {
	s.Cron = strings.TrimSpace(s.Cron)
	if s.ID == "" || strings.ContainsFunc(s.ID, func(r rune) bool { return r == '@' || unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return nil, specError(s,
			"日程标识不能为空，也不能含有空白或“@”",
			`the ID must not be empty nor contain white space or "@"`)
	}
	switch s.OnHoliday {
	case "":
		s.OnHoliday = Skip
	case Skip, NextWorkingDay:
	default:
		return nil, specError(s,
			fmt.Sprintf("节假日处理方式“%s”无效，应为 %s 或 %s", s.OnHoliday, Skip, NextWorkingDay),
			fmt.Sprintf("on-holiday policy %q is not valid; use %q or %q", s.OnHoliday, Skip, NextWorkingDay))
	}
	if s.Location == nil {
		s.Location = briefbot.DefaultLocation()
	}
	if s.Cron == "" {
		return nil, specError(s, "cron 表达式为空", "the cron spec is empty")
	}
	if strings.HasPrefix(s.Cron, "TZ=") || strings.HasPrefix(s.Cron, "CRON_TZ=") {
		return nil, specError(s,
			"不能用 TZ= 或 CRON_TZ= 指定时区，时区由日程的时区设置决定",
			"TZ= and CRON_TZ= prefixes are not allowed: the zone comes from the schedule's location")
	}
	if strings.HasPrefix(s.Cron, "@every") {
		return nil, specError(s,
			"不支持 @every：它不按钟点触发，请改用五段式 cron 表达式",
			"@every is not supported: it is not tied to the wall clock; use a five-field cron spec")
	}
	parsed, err := parseStandard(s.Cron)
	if err != nil {
		return nil, specError(s,
			fmt.Sprintf("无法解析（应为五段式：分 时 日 月 周）：%v", err),
			fmt.Sprintf("does not parse as minute hour day-of-month month day-of-week: %v", err))
	}
	spec, ok := parsed.(*cron.SpecSchedule)
	if !ok {
		return nil, specError(s, "不是按钟点触发的日程", "is not a wall-clock schedule")
	}
	spec.Location = s.Location
	sch := &Schedule{spec: s, cron: spec}
	if !sch.firesSomeDay() {
		return nil, specError(s, "永远不会触发（日期不存在）", "never fires (no such date)")
	}
	if gap := sch.minGap(); gap < MinInterval {
		return nil, specError(s,
			fmt.Sprintf("触发过于频繁（间隔 %v），简报日程至少间隔 %v", gap, MinInterval),
			fmt.Sprintf("fires too often (every %v); briefing schedules must be at least %v apart", gap, MinInterval))
	}
	return sch, nil
}

// ParseSpecs parses every spec and also refuses two specs with the same ID.
func ParseSpecs(specs []Spec) ([]*Schedule, error) {
	out := make([]*Schedule, 0, len(specs))
	seen := make(map[string]bool, len(specs))
	for _, s := range specs {
		if seen[s.ID] {
			return nil, specError(s, "日程标识重复", "the ID is used by another schedule")
		}
		seen[s.ID] = true
		sch, err := ParseSpec(s)
		if err != nil {
			return nil, err
		}
		out = append(out, sch)
	}
	return out, nil
}

// parseStandard is cron.ParseStandard with its panics (for example on "TZ=UTC" alone,
// robfig/cron #554) turned into errors.
func parseStandard(spec string) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("malformed spec (%v)", r)
		}
	}()
	return cron.ParseStandard(spec)
}

// firesSomeDay reports whether the spec matches any date at all. The 28 years from 2001
// hold every combination of month, day, weekday and leap year the Gregorian calendar
// has in a century, so a spec that matches none of their days matches no day ever.
func (sch *Schedule) firesSomeDay() bool {
	d := date{2001, time.January, 1}
	for d.y < 2001+28 {
		if sch.matchesDate(d) {
			return true
		}
		d = d.next()
	}
	return false
}

// minGap returns the shortest distance between two wall-clock times of the spec, the
// step from the last time of a day to the first of the next included (whether or not
// the spec fires on consecutive days: a spec that could fire four minutes apart is
// refused even if it rarely does).
func (sch *Schedule) minGap() time.Duration {
	times := sch.minutesOfDay()
	gap := 24*60 - times[len(times)-1] + times[0]
	for i := 1; i < len(times); i++ {
		gap = min(gap, times[i]-times[i-1])
	}
	return time.Duration(gap) * time.Minute
}

// minutesOfDay returns the spec's wall-clock times as minutes after midnight, in order.
func (sch *Schedule) minutesOfDay() []int {
	var out []int
	for h := 0; h < 24; h++ {
		if sch.cron.Hour&(1<<uint(h)) == 0 {
			continue
		}
		for m := 0; m < 60; m++ {
			if sch.cron.Minute&(1<<uint(m)) != 0 {
				out = append(out, h*60+m)
			}
		}
	}
	return out
}

// starBit is set in a cron field parsed from "*" (or "?", or "*/n").
const starBit = 1 << 63

// matchesDate reports whether the spec fires on date d, with cron's rule for day of
// month and day of week: when either is a star both must match, otherwise either may.
func (sch *Schedule) matchesDate(d date) bool {
	s := sch.cron
	if s.Month&(1<<uint(d.m)) == 0 {
		return false
	}
	domMatch := s.Dom&(1<<uint(d.d)) != 0
	dowMatch := s.Dow&(1<<uint(d.weekday())) != 0
	if s.Dom&starBit != 0 || s.Dow&starBit != 0 {
		return domMatch && dowMatch
	}
	return domMatch || dowMatch
}

func specError(s Spec, zh, en string) *briefbot.Error {
	return briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonSchedule, briefbot.Text{
		ZH: fmt.Sprintf("日程“%s”（%s）无效：%s。", s.ID, s.Cron, zh),
		EN: fmt.Sprintf("schedule %q (%q) is not valid: %s", s.ID, s.Cron, en),
	})
}
