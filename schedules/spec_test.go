package schedules_test

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/schedules"
)

func TestParseSpec(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, c := range []string{
			"30 8 * * 1", "30 17 * * *", "@weekly", "@daily", "@hourly", "@monthly", "@yearly",
			" 0 9 * * mon-fri ", "*/5 * * * *", "0 9 29 2 *", "0 9 30 2 1", "0 9 1 */3 *",
		} {
			sch, err := schedules.ParseSpec(schedules.Spec{ID: "party/weekly", Cron: c})
			if err != nil {
				t.Errorf("ParseSpec(%q) = %v; want OK", c, err)
				continue
			}
			spec := sch.Spec()
			if spec.Location.String() != briefbot.DefaultZone || spec.OnHoliday != schedules.Skip || sch.ID() != "party/weekly" {
				t.Errorf("ParseSpec(%q).Spec() = %+v; want defaults Asia/Shanghai and skip", c, spec)
			}
		}
	})
	t.Run("Location", func(t *testing.T) {
		sch, err := schedules.ParseSpec(schedules.Spec{ID: "x", Cron: "0 9 * * *", Location: newYork, OnHoliday: schedules.NextWorkingDay})
		if err != nil {
			t.Fatal(err)
		}
		if sch.Location() != newYork || sch.Spec().OnHoliday != schedules.NextWorkingDay {
			t.Errorf("Spec() = %+v", sch.Spec())
		}
	})
	for _, tt := range []struct {
		name string
		spec schedules.Spec
	}{
		{"ErrTZAlone", schedules.Spec{ID: "a", Cron: "TZ=UTC"}}, // panics in robfig/cron (#554)
		{"ErrCronTZ", schedules.Spec{ID: "a", Cron: "CRON_TZ=UTC 0 9 * * *"}},
		{"ErrTZ", schedules.Spec{ID: "a", Cron: "TZ=Asia/Shanghai 0 9 * * *"}},
		{"ErrNeverFires", schedules.Spec{ID: "a", Cron: "0 9 30 2 *"}},
		{"ErrNeverFiresApril31", schedules.Spec{ID: "a", Cron: "0 9 31 4,6,9,11 *"}},
		{"ErrEveryMinute", schedules.Spec{ID: "a", Cron: "* * * * *"}},
		{"ErrEvery4Minutes", schedules.Spec{ID: "a", Cron: "*/4 9 * * *"}},
		{"ErrCloseTimes", schedules.Spec{ID: "a", Cron: "0,3 9 * * *"}},
		{"ErrCloseOverMidnight", schedules.Spec{ID: "a", Cron: "0,58 0,23 * * *"}},
		{"ErrBogus", schedules.Spec{ID: "a", Cron: "bogus"}},
		{"ErrMinute61", schedules.Spec{ID: "a", Cron: "61 9 * * *"}},
		{"ErrSixFields", schedules.Spec{ID: "a", Cron: "0 30 9 * * *"}},
		{"ErrEmpty", schedules.Spec{ID: "a", Cron: "  "}},
		{"ErrEvery", schedules.Spec{ID: "a", Cron: "@every 1h"}},
		{"ErrDescriptor", schedules.Spec{ID: "a", Cron: "@fortnightly"}},
		{"ErrNoID", schedules.Spec{Cron: "0 9 * * *"}},
		{"ErrIDWithAt", schedules.Spec{ID: "a@b", Cron: "0 9 * * *"}},
		{"ErrIDWithSpace", schedules.Spec{ID: "party weekly", Cron: "0 9 * * *"}},
		{"ErrPolicy", schedules.Spec{ID: "a", Cron: "0 9 * * *", OnHoliday: "previous_working_day"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sch, err := schedules.ParseSpec(tt.spec)
			if sch != nil || err == nil {
				t.Fatalf("ParseSpec(%+v) = %v, %v; want an error", tt.spec, sch, err)
			}
			if got, want := briefbot.ErrorCode(err), briefbot.EINVALID; got != want {
				t.Errorf("ErrorCode = %q; want %q", got, want)
			}
			if got, want := briefbot.ErrorReason(err), briefbot.ReasonSchedule; got != want {
				t.Errorf("ErrorReason = %q; want %q", got, want)
			}
			for _, lang := range []briefbot.Lang{briefbot.LangZH, briefbot.LangEN} {
				msg := briefbot.ErrorMessage(err, lang)
				if !strings.Contains(msg, tt.spec.ID) || !strings.Contains(msg, strings.TrimSpace(tt.spec.Cron)) {
					t.Errorf("ErrorMessage(%s) = %q; want it to name the spec", lang, msg)
				}
			}
		})
	}
}

func TestParseSpec_Reasons(t *testing.T) {
	for cron, want := range map[string]string{
		"0 9 30 2 *":            "never fires",
		"* * * * *":             "too often",
		"CRON_TZ=UTC 0 9 * * *": "TZ=",
		"61 9 * * *":            "does not parse",
	} {
		_, err := schedules.ParseSpec(schedules.Spec{ID: "a", Cron: cron})
		if msg := briefbot.ErrorMessage(err, briefbot.LangEN); !strings.Contains(msg, want) {
			t.Errorf("ParseSpec(%q): message %q; want it to say %q", cron, msg, want)
		}
	}
}

func TestParseSpecs(t *testing.T) {
	specs := []schedules.Spec{{ID: "party/weekly", Cron: "30 8 * * 1"}, {ID: "plc/daily", Cron: "30 17 * * *"}}
	got, err := schedules.ParseSpecs(specs)
	if err != nil || len(got) != 2 {
		t.Fatalf("ParseSpecs = %v, %v", got, err)
	}
	_, err = schedules.ParseSpecs(append(specs, schedules.Spec{ID: "party/weekly", Cron: "@daily"}))
	if briefbot.ErrorCode(err) != briefbot.EINVALID || !strings.Contains(briefbot.ErrorMessage(err, briefbot.LangZH), "party/weekly") {
		t.Errorf("ParseSpecs(duplicate ID) = %v; want EINVALID naming the ID", err)
	}
}

func mustParse(t testing.TB, s schedules.Spec) *schedules.Schedule {
	t.Helper()
	sch, err := schedules.ParseSpec(s)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}
