// Package schedules holds cron specs, the working-day calendar, slot bookkeeping, catch-up of missed slots and reminder timing.
package schedules
