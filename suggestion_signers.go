package lianluo

// Choosing where a suggestion goes and who signs it, on the deputy's phone
// (docs/suggestions.md, "On the deputy's phone").

// SuggestionBody is an NPC body a suggestion or bill may be addressed to:
// for a deputy, the bodies over their region; for the body's office, its
// own.
type SuggestionBody struct {
	OrgID int64  `json:"org_id"`
	Name  string `json:"name"`
	Level string `json:"level"` // the level of its region: how many sign a bill (BillMinSigners)
}

// SignerChoice is a deputy who may sign a suggestion of a body: in office,
// in the body's area. Region names the deputy's area, to tell namesakes
// apart.
type SignerChoice struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Region string `json:"region"`
}

// MaxSignerChoices bounds the deputies offered as co-signers: the largest
// county congress has a few hundred.
const MaxSignerChoices = 1000
