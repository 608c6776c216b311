// Package briefings composes numbered briefings (简报) for a committee from matters and renders them as Block Kit, mrkdwn, Markdown and printable HTML; pure functions, no I/O.
package briefings
