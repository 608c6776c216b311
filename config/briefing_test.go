package config

import (
	"fmt"
	"github.com/briefbot/briefbot"
	"strings"
	"testing"
	"time"
)

const briefingBase = `organisation: 测试法院
members:
  - {id: zhao, name: 赵}
  - {id: qian, name: 钱}
  - {id: zhou, name: 周}
committees:
  - id: party
    name: 党组
    leaders: [zhao]
    clerks: [qian]
    briefing:
      time_zone: Asia/Shanghai
      on_holiday: next_working_day
      approval: true
      slack_items: 8
      schedules:
        - id: weekly
          cron: "30 8 * * 1"
        - id: daily
          cron: "30 17 * * *"
departments:
  - {id: criminal, name: 刑庭, principal: zhou}
calendar:
  years: [2026]
  holidays: [2026-10-01]
  workdays: [2026-10-10]
briefings:
  catch_up: 12h
follow_through:
  answer_limit_days: 3
  deadline_days: {extra_urgent: 1, urgent: 2, ordinary: 7}
  remind_before_days: [3, 1]
  supervise_after_days: 2
  extensions_decided_by: leader
`

func TestConfig_Briefings(t *testing.T) {
	c, err := Parse([]byte(briefingBase), "b.yaml")
	if err != nil {
		t.Fatal(err)
	}
	party, _ := c.Rules.Org.Committee("party")
	if len(c.Jobs) != 2 || c.Jobs[0].Schedule.ID() != "party/weekly" || c.Jobs[0].Makes != MakesBriefing || c.Jobs[0].Committee != "party" || !party.Approve || party.SlackItems != 8 || c.CatchUp != 12*time.Hour {
		t.Fatalf("config = %+v", c)
	}
	if ft := c.Rules.FollowThrough; ft.AnswerLimit != 3 || ft.Deadlines["urgent"] != 2 || fmt.Sprint(ft.RemindBefore) != "[3 1]" || ft.SuperviseAfter != 2 || !ft.LeadersDecideExtensions {
		t.Fatalf("follow_through = %+v", ft)
	}
	if !c.Calendar.Covers(2026) || c.Calendar.IsWorkingDay(time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("calendar not taken from the file")
	}
	ex := Example()
	pl, _ := ex.Rules.Org.Committee("pl")
	if len(ex.Schedules()) != 2 || !pl.Approve || !ex.Calendar.Covers(2026) {
		t.Fatalf("example briefings = %+v", ex)
	}
}

func TestConfig_BriefingRefusals(t *testing.T) {
	for _, tc := range []struct {
		name, from, to string
		line           int
		want           string
	}{
		{"ErrNeverFires", `cron: "30 8 * * 1"`, `cron: "0 9 30 2 *"`, 18, "weekly"},
		{"ErrPanickingSpec", `cron: "30 8 * * 1"`, `cron: "TZ=UTC"`, 18, "TZ="},
		{"ErrTooOften", `cron: "30 17 * * *"`, `cron: "* * * * *"`, 20, "daily"},
		{"ErrBadZone", "time_zone: Asia/Shanghai", "time_zone: Mars/Olympus", 12, "Mars/Olympus"},
		{"ErrBadPolicy", "on_holiday: next_working_day", "on_holiday: sometimes", 13, "on_holiday"},
		{"ErrDuplicateSchedule", "id: daily", "id: weekly", 19, "twice"},
		{"ErrUnknownKey", "approval: true", "approve: true", 14, "unknown field"},
		{"ErrSlackItemsZero", "slack_items: 8", "slack_items: 0", 15, "slack_items"},
		{"ErrSlackItemsWord", "slack_items: 8", "slack_items: ten", 15, "slack_items"},
		{"ErrSlackItemsTooMany", "slack_items: 8", "slack_items: 500", 15, "slack_items"},
		{"ErrBadCalendarDate", "holidays: [2026-10-01]", "holidays: [2026-13-01]", 25, "2026-13-01"},
		{"ErrNoYears", "years: [2026]", "years: []", 24, "years"},
		{"ErrBadCatchUp", "catch_up: 12h", "catch_up: forever", 28, "catch_up"},
		{"ErrBadDecider", "extensions_decided_by: leader", "extensions_decided_by: anyone", 34, "extensions_decided_by"},
		{"ErrBadRemind", "remind_before_days: [3, 1]", "remind_before_days: [3, -1]", 32, "remind_before_days"},
		{"ErrBadDeadline", "urgent: 2, ordinary", "urgent: 0, ordinary", 31, "urgent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(briefingBase, tc.from) {
				t.Fatalf("fixture lacks %q", tc.from)
			}
			_, err := Parse([]byte(strings.Replace(briefingBase, tc.from, tc.to, 1)), "b.yaml")
			if err == nil {
				t.Fatal("accepted")
			}
			en := both(err)
			want := fmt.Sprintf("b.yaml:%d:", tc.line)
			if !strings.Contains(en, want) || !strings.Contains(en, tc.want) {
				t.Fatalf("error = %s\nwant a line %s mentioning %q", en, want, tc.want)
			}
		})
	}
}

func TestConfig_Reports(t *testing.T) {
	c, err := Parse([]byte(briefingBase+"reports:\n  scoring: {base: 10, overdue_penalty: 8}\n  monthly_to: [party]\n"), "r.yaml")
	if err != nil {
		t.Fatal(err)
	}
	last := c.Jobs[len(c.Jobs)-1]
	if c.Scoring.Base != 10 || c.Scoring.OverduePenalty != 8 || c.Scoring.OnTimeWeight != 60 || last.Schedule.ID() != "report/party" || last.Makes != MakesMonthlyReport || last.Committee != "party" {
		t.Fatalf("reports = %+v %+v", c.Scoring, last)
	}
	for _, bad := range []string{"reports:\n  monthly_to: [court]\n", "reports:\n  scoring: {base: lots}\n", "reports:\n  sorting: {}\n"} {
		if _, err := Parse([]byte(briefingBase+bad), "r.yaml"); err == nil || !strings.Contains(both(err), "r.yaml:") {
			t.Fatalf("%q accepted: %v", bad, err)
		}
	}
}

// both is the message of err in both languages, as the terminal prints it.
func both(err error) string {
	return briefbot.ErrorMessage(err, briefbot.LangZH) + "\n" + briefbot.ErrorMessage(err, briefbot.LangEN)
}
