package bot

import (
	"context"
	"fmt"
	"slices"

	"github.com/briefbot/briefbot"
)

// WarnCalendar tells the admins and the committees' clerks, once per year, when the
// working-day calendar does not cover this year, or next year with less than 60 days
// to go: without it deadlines, reminders and briefing slots count every weekday as a
// working day and no public holiday. covers says which years the calendar has.
func (b *Bot) WarnCalendar(ctx context.Context, covers func(year int) bool) {
	dir := b.Directory()
	now := b.now().In(b.loc)
	year := now.Year()
	if covers(year) {
		year++
		if covers(year) || now.AddDate(0, 0, 60).Year() < year {
			return
		}
	}
	var to []briefbot.MemberID
	for _, m := range dir.Org.Members {
		if m.Admin {
			to = append(to, m.ID)
		}
	}
	for _, c := range dir.Org.Committees {
		for _, id := range c.Clerks {
			if !slices.Contains(to, id) {
				to = append(to, id)
			}
		}
	}
	var letters []letter
	for _, id := range to {
		member, ok := dir.Org.Member(id)
		if !ok {
			continue
		}
		letters = append(letters, letter{id, textMessage(tr(dir.lang(member), msgCalendarMissing, year))})
	}
	// Not about a matter: a dispatch of the org as a whole, once per year.
	b.tell(ctx, briefbot.DispatchNotice, &briefbot.Matter{}, fmt.Sprintf("calendar/%d", year), letters)
}
