package main

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/schedules"
)

// The briefing parts of the org config:
//
//	committees:
//	  - id: party
//	    briefing:
//	      time_zone: Asia/Shanghai        # default
//	      on_holiday: next_working_day    # or skip (default)
//	      approval: false                 # scheduled briefings wait for a clerk's approval
//	      schedules:
//	        - id: weekly
//	          cron: "30 8 * * 1"
//	calendar:                             # replaces the built-in 2026 calendar
//	  years: [2026, 2027]
//	  holidays: [2026-10-01, ...]
//	  workdays: [2026-10-10, ...]         # 调休 make-up working days
//	briefings:
//	  catch_up: 24h                       # how late a missed slot is still delivered

var (
	cfgBriefingKeys = []string{"time_zone", "on_holiday", "approval", "schedules"}
	cfgScheduleKeys = []string{"id", "cron"}
	cfgCalendarKeys = []string{"years", "holidays", "workdays"}
	cfgBriefingsTop = []string{"catch_up"}
)

func (p *cfgParser) committeeBriefing(n *yaml.Node, l cfgLabel, committee string, c *Config) {
	if cfgIsNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.add(n, l, "briefing 应当是映射（schedules:、time_zone: 等），不能是"+cfgKindZH(n),
			"briefing must be a mapping (schedules:, time_zone: ...), not "+cfgKindEN(n))
		return
	}
	bl := cfgLabel{l.zh + " 的 briefing", "the briefing of " + l.en}
	f := p.fields(n, bl, cfgBriefingKeys)
	loc := briefbot.DefaultLocation()
	if v, ok := f["time_zone"]; ok {
		if s, ok := p.text(v, bl, "time_zone"); ok && s != "" {
			if z, err := time.LoadLocation(s); err != nil {
				p.add(v, bl, fmt.Sprintf("未知的时区 %q（应为如 Asia/Shanghai 的 IANA 名称）", s),
					fmt.Sprintf("unknown time zone %q (use an IANA name such as Asia/Shanghai)", s))
			} else {
				loc = z
			}
		}
	}
	policy := schedules.Skip
	if v, ok := f["on_holiday"]; ok {
		if s, ok := p.text(v, bl, "on_holiday"); ok {
			switch schedules.Policy(s) {
			case schedules.Skip, schedules.NextWorkingDay:
				policy = schedules.Policy(s)
			default:
				p.add(v, bl, fmt.Sprintf("on_holiday 只能是 skip 或 next_working_day，不能是 %q", s),
					fmt.Sprintf("on_holiday must be skip or next_working_day, not %q", s))
			}
		}
	}
	if v, ok := f["approval"]; ok {
		if b, ok := p.boolean(v, bl, "approval"); ok && b {
			c.Approve[committee] = true
		}
	}
	seen := map[string]int{}
	for i, e := range p.seq(f["schedules"], "schedules") {
		sl, sf, id, ok := p.entry(e, i, "简报计划", "schedule", cfgScheduleKeys)
		if !ok || id == "" {
			continue
		}
		if first, dup := seen[id]; dup {
			p.add(sf["id"], sl, fmt.Sprintf("计划 id %q 重复（第 %d 行已使用）", id, first),
				fmt.Sprintf("schedule id %q is used twice (first on line %d)", id, first))
			continue
		}
		seen[id] = sf["id"].Line
		v, ok := sf["cron"]
		if !ok {
			p.add(e, sl, "缺少 cron（如 \"30 8 * * 1\" 表示每周一 8:30）", `cron is required (e.g. "30 8 * * 1" for Mondays at 08:30)`)
			continue
		}
		spec, ok := p.text(v, sl, "cron")
		if !ok {
			continue
		}
		sch, err := schedules.ParseSpec(schedules.Spec{ID: committee + "/" + id, Cron: spec, Location: loc, OnHoliday: policy})
		if err != nil {
			p.add(v, sl, briefbot.ErrorMessage(err, briefbot.LangZH), briefbot.ErrorMessage(err, briefbot.LangEN))
			continue
		}
		c.Schedules = append(c.Schedules, sch)
	}
}

func (p *cfgParser) calendar(n *yaml.Node, c *Config) {
	l := cfgLabel{"工作日历 calendar", "calendar"}
	if n.Kind != yaml.MappingNode {
		p.add(n, cfgLabel{}, "calendar 应当是映射（years:、holidays:、workdays:），不能是"+cfgKindZH(n),
			"calendar must be a mapping (years:, holidays:, workdays:), not "+cfgKindEN(n))
		return
	}
	f := p.fields(n, l, cfgCalendarKeys)
	var years []int
	for _, it := range p.list(cfgOr(f["years"]), l, "years") {
		var y int
		if _, err := fmt.Sscan(it.value, &y); err != nil || y < 2000 || y > 2200 {
			p.add(it.node, l, fmt.Sprintf("年份 %q 不对", it.value), fmt.Sprintf("%q is not a year", it.value))
			continue
		}
		years = append(years, y)
	}
	if len(years) == 0 {
		p.add(cfgAt(n, f["years"]), l, "calendar 须列出所覆盖的年份（years: [2026]）", "calendar must list the years it covers (years: [2026])")
		return
	}
	bad := false
	values := func(key string) []string {
		var out []string
		for _, it := range p.list(cfgOr(f[key]), l, key) {
			if _, err := time.Parse("2006-01-02", it.value); err != nil {
				p.add(it.node, l, fmt.Sprintf("%s 中的日期 %q 无效，应写作 2026-10-01", key, it.value),
					fmt.Sprintf("date %q in %s is not valid; write it as 2026-10-01", it.value, key))
				bad = true
				continue
			}
			out = append(out, it.value)
		}
		return out
	}
	holidays, workdays := values("holidays"), values("workdays")
	if bad {
		return
	}
	cal, err := schedules.NewCalendar(years, holidays, workdays)
	if err != nil {
		p.add(n, l, briefbot.ErrorMessage(err, briefbot.LangZH), briefbot.ErrorMessage(err, briefbot.LangEN))
		return
	}
	c.Calendar = cal
}

func (p *cfgParser) briefingsTop(n *yaml.Node, c *Config) {
	l := cfgLabel{"briefings", "briefings"}
	if n.Kind != yaml.MappingNode {
		p.add(n, cfgLabel{}, "briefings 应当是映射（catch_up:），不能是"+cfgKindZH(n), "briefings must be a mapping (catch_up:), not "+cfgKindEN(n))
		return
	}
	f := p.fields(n, l, cfgBriefingsTop)
	if v, ok := f["catch_up"]; ok {
		if s, ok := p.text(v, l, "catch_up"); ok {
			d, err := time.ParseDuration(s)
			if err != nil || d < 0 || d > 30*24*time.Hour {
				p.add(v, l, fmt.Sprintf("catch_up %q 应为 0 到 720h 之间的时长，如 24h", s),
					fmt.Sprintf("catch_up %q must be a duration between 0 and 720h, e.g. 24h", s))
			} else {
				c.CatchUp = d
			}
		}
	}
}

// cfgOr returns n, or a null node for an absent key (an empty list).
func cfgOr(n *yaml.Node) *yaml.Node {
	if n == nil {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	}
	return n
}
