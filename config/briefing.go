package config

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
	cfgBriefingKeys = []string{"time_zone", "on_holiday", "approval", "slack_items", "schedules"}
	cfgScheduleKeys = []string{"id", "cron"}
	cfgCalendarKeys = []string{"years", "holidays", "workdays"}
	cfgBriefingsTop = []string{"catch_up"}
)

func (p *cfgParser) committeeBriefing(n *yaml.Node, l cfgLabel, cm *briefbot.Committee, c *Config) {
	committee := string(cm.ID)
	if cfgIsNull(n) {
		return
	}
	bl := cfgLabel{l.zh + " 的 briefing", "the briefing of " + l.en}
	f, ok := p.section(n, l, bl, "briefing", cfgLabel{"schedules:、time_zone: 等", "schedules:, time_zone: ..."}, cfgBriefingKeys)
	if !ok {
		return
	}
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
			cm.Approve = true
		}
	}
	if v, ok := f["slack_items"]; ok {
		var n int
		if err := v.Decode(&n); err != nil || n < 1 || n > 100 {
			p.add(v, bl, "slack_items 应为 1 到 100 之间的整数（每部分在 Slack 中列出的事项数）",
				"slack_items must be a whole number from 1 to 100 (items listed per section in Slack)")
		} else {
			cm.SlackItems = n
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
		c.Jobs = append(c.Jobs, Job{Schedule: sch, Makes: MakesBriefing, Committee: cm.ID})
	}
}

func (p *cfgParser) calendar(n *yaml.Node, c *Config) {
	l := cfgLabel{"工作日历 calendar", "calendar"}
	f, ok := p.section(n, cfgLabel{}, l, "calendar", cfgLabel{"years:、holidays:、workdays:", "years:, holidays:, workdays:"}, cfgCalendarKeys)
	if !ok {
		return
	}
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
	f, ok := p.section(n, cfgLabel{}, l, "briefings", cfgLabel{"catch_up:", "catch_up:"}, cfgBriefingsTop)
	if !ok {
		return
	}
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

var cfgFollowKeys = []string{"answer_limit_days", "deadline_days", "remind_before_days", "supervise_after_days", "extensions_decided_by"}

// followThrough reads:
//
//	follow_through:
//	  answer_limit_days: 5             # a request without an answer deadline gets this
//	  deadline_days: {extra_urgent: 1, urgent: 3, ordinary: 10}   # default referral deadlines
//	  remind_before_days: [2, 1]       # 催办 before the deadline (and always on the day)
//	  supervise_after_days: 3          # 督办: the instructing leader is told
//	  extensions_decided_by: clerk     # or leader (the instructing leader)
func (p *cfgParser) followThrough(n *yaml.Node, c *Config) {
	l := cfgLabel{"follow_through", "follow_through"}
	f, ok := p.section(n, cfgLabel{}, l, "follow_through", cfgLabel{}, cfgFollowKeys)
	if !ok {
		return
	}
	ft := &c.Rules.FollowThrough
	if v, ok := f["answer_limit_days"]; ok {
		if i, ok := p.positive(v, l, "answer_limit_days"); ok {
			ft.AnswerLimit = i
		}
	}
	if v, ok := f["supervise_after_days"]; ok {
		if i, ok := p.positive(v, l, "supervise_after_days"); ok {
			ft.SuperviseAfter = i
		}
	}
	if v, ok := f["remind_before_days"]; ok {
		ft.RemindBefore = nil
		for _, it := range p.list(v, l, "remind_before_days") {
			var d int
			if _, err := fmt.Sscan(it.value, &d); err != nil || d <= 0 || d > 30 {
				p.add(it.node, l, fmt.Sprintf("remind_before_days 中的 %q 应为 1 到 30 的整数", it.value),
					fmt.Sprintf("%q in remind_before_days must be a whole number from 1 to 30", it.value))
				continue
			}
			ft.RemindBefore = append(ft.RemindBefore, d)
		}
	}
	if v, ok := f["deadline_days"]; ok {
		if v.Kind != yaml.MappingNode {
			p.add(v, l, "deadline_days 应当是映射（extra_urgent: 1 等）", "deadline_days must be a mapping (extra_urgent: 1, ...)")
		} else {
			df := p.fields(v, cfgLabel{"deadline_days", "deadline_days"}, []string{"extra_urgent", "urgent", "ordinary"})
			for key, u := range map[string]briefbot.Urgency{"extra_urgent": briefbot.UrgencyExtraUrgent, "urgent": briefbot.UrgencyUrgent, "ordinary": briefbot.UrgencyOrdinary} {
				if dv, ok := df[key]; ok {
					if i, ok := p.positive(dv, l, "deadline_days."+key); ok {
						ft.Deadlines[u] = i
					}
				}
			}
		}
	}
	if v, ok := f["extensions_decided_by"]; ok {
		if s, ok := p.text(v, l, "extensions_decided_by"); ok {
			switch s {
			case "clerk":
			case "leader":
				ft.LeadersDecideExtensions = true
			default:
				p.add(v, l, fmt.Sprintf("extensions_decided_by 只能是 clerk 或 leader，不能是 %q", s),
					fmt.Sprintf("extensions_decided_by must be clerk or leader, not %q", s))
			}
		}
	}
}

var (
	cfgReportKeys  = []string{"scoring", "monthly_to"}
	cfgScoringKeys = []string{"base", "on_time_weight", "answered_weight", "overdue_penalty", "return_penalty", "extension_penalty"}
)

// reports reads:
//
//	reports:
//	  scoring:            # the department score (see the formula in CONFIG.md)
//	    base: 20
//	    on_time_weight: 60
//	    answered_weight: 20
//	    overdue_penalty: 5
//	    return_penalty: 2
//	    extension_penalty: 1
//	  monthly_to: [party]  # committees whose channel gets the 月报 on the 1st at 09:00
func (p *cfgParser) reports(n *yaml.Node, c *Config) {
	l := cfgLabel{"reports", "reports"}
	f, ok := p.section(n, cfgLabel{}, l, "reports", cfgLabel{}, cfgReportKeys)
	if !ok {
		return
	}
	if v, ok := f["scoring"]; ok {
		if v.Kind != yaml.MappingNode {
			p.add(v, l, "scoring 应当是映射", "scoring must be a mapping")
		} else {
			sl := cfgLabel{"reports.scoring", "reports.scoring"}
			sf := p.fields(v, sl, cfgScoringKeys)
			for key, dst := range map[string]*float64{"base": &c.Scoring.Base, "on_time_weight": &c.Scoring.OnTimeWeight,
				"answered_weight": &c.Scoring.AnsweredWeight, "overdue_penalty": &c.Scoring.OverduePenalty,
				"return_penalty": &c.Scoring.ReturnPenalty, "extension_penalty": &c.Scoring.ExtensionPenalty} {
				if w, ok := sf[key]; ok {
					var x float64
					if w.Kind != yaml.ScalarNode || w.Decode(&x) != nil || x < 0 || x > 100 {
						p.add(w, sl, fmt.Sprintf("%s 应为 0 到 100 之间的数", key), fmt.Sprintf("%s must be a number from 0 to 100", key))
						continue
					}
					*dst = x
				}
			}
		}
	}
	if v, ok := f["monthly_to"]; ok {
		for _, it := range p.list(v, l, "monthly_to") {
			if _, known := c.Rules.Org.Committee(briefbot.CommitteeID(it.value)); !known {
				p.add(it.node, l, fmt.Sprintf("monthly_to 中的 %q 不是委员会 id", it.value), fmt.Sprintf("%q in monthly_to is not a committee id", it.value))
				continue
			}
			sch, err := schedules.ParseSpec(schedules.Spec{ID: "report/" + it.value, Cron: "0 9 1 * *", OnHoliday: schedules.NextWorkingDay})
			if err != nil {
				p.add(it.node, l, briefbot.ErrorMessage(err, briefbot.LangZH), briefbot.ErrorMessage(err, briefbot.LangEN))
				continue
			}
			c.Jobs = append(c.Jobs, Job{Schedule: sch, Makes: MakesMonthlyReport, Committee: briefbot.CommitteeID(it.value)})
		}
	}
}
