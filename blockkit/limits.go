// Package blockkit is Slack's Block Kit as plain values: messages and blocks built as
// maps that marshal to the JSON Slack takes, the one table of Slack's limits
// (../shared/reference/slack.md section 7), a validator of messages and views against
// it, and the one escaping rule for user text in mrkdwn. It imports no Slack client:
// every package that says something builds it here; the transports post it.
package blockkit

// Slack's limits.
const (
	MaxMessageBlocks  = 50       // blocks in a message
	MaxViewBlocks     = 100      // blocks in a modal or Home tab
	MaxMessageText    = 4000     // a message's fallback text (Slack truncates beyond 40,000)
	MaxSectionText    = 3000     // a section's text
	MaxFieldText      = 2000     // a section field
	MaxFields         = 10       // fields in a section
	MaxHeaderText     = 150      // a header's plain text
	MaxContext        = 10       // elements in a context block
	MaxActions        = 25       // elements in an actions block
	MaxButtonText     = 75       // a button's label
	MaxButtonValue    = 2000     // a button's value
	MaxOptions        = 100      // options of a select
	MaxCheckboxes     = 10       // options of checkboxes and radio buttons
	MaxOptionText     = 75       // an option's label
	MaxOptionValue    = 150      // an option's value
	MaxLabel          = 2000     // an input block's label or hint
	MaxPlaceholder    = 150      // a placeholder
	MaxInputLength    = 3000     // a plain-text input's max_length
	MaxFileInputFiles = 10       // a file_input's max_files (each file at most MaxFileInputSize)
	MaxFileInputSize  = 10 << 20 // the largest file a file_input takes, in bytes
	MaxIDLen          = 255      // block_id, action_id, callback_id
	MaxViewTitle      = 24       // a view's title, submit and close labels
	MaxMetadata       = 3000     // a view's private_metadata
	MaxViewBytes      = 250e3    // a view's JSON
	// MaxBlockText is the cumulative text of a message's blocks. Slack documents no
	// limit, but refuses messages with msg_blocks_too_long at around 12,000-13,000.
	MaxBlockText = 12000
)
