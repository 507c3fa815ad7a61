"""English interface strings. Keys and ``{placeholders}`` must match every other language."""

from service.workshops.survey.messages import ENGLISH as SURVEY_REFUSALS

MESSAGES: dict[str, str] = {
    # survey refusals: the API's own English words (survey.<code>)
    **{f"survey.{code}": text for code, text in SURVEY_REFUSALS.items()},
    "app.name": "tvet-match",
    # navigation and frame
    "nav.skip": "Skip to content",
    "nav.label": "Main",
    "nav.directory": "Directory",
    "nav.workshops": "Workshops",
    "nav.my_profile": "My profile",
    "nav.sign_in": "Sign in",
    "nav.sign_out": "Sign out",
    "nav.language": "Language",
    "nav.signed_in.admin": "Signed in as an administrator",
    "nav.signed_in.organiser": "Signed in as an organiser",
    "nav.signed_in.institution": "Signed in for institution {id}",
    "footer.about": "Partner suggestions for TVET institutions in China and Southeast Asia.",
    "footer.api": "API documentation",
    "table.id": "Id",
    # kinds of institution
    "kind.college": "TVET college or school",
    "kind.university": "University",
    "kind.company": "Company",
    "kind.government": "Government body",
    "kind.organisation": "Organisation",
    "kind.other": "Other",
    # profile fields
    "field.name": "Name",
    "field.country": "Country",
    "field.kind": "Kind",
    "field.kind.help": "Any TVET school, college, polytechnic or institute is a TVET college.",
    "field.city": "City",
    "field.fields": "Technical fields",
    "field.needs": "What we seek",
    "field.needs.help": "One per line: what you look for in a partner.",
    "field.offers": "What we offer",
    "field.offers.help": "One per line: what you can give a partner.",
    "field.programs": "Programs wanted",
    "field.lines.help": "One per line.",
    "field.languages": "Languages",
    "field.languages.help": "ISO 639-1 codes, separated by commas, e.g. km, en, zh.",
    "field.description": "Description",
    "field.website": "Website",
    "field.website.help": "An http:// or https:// address.",
    "field.website_private": "Show the website only to partners who agreed to meet",
    "field.website_private.help": (
        "Others see the profile without it; you and administrators always see it."
    ),
    "field.contact_email": "Contact email",
    "field.contact_email.help": "Private: only your key and administrators see it.",
    "field.existing_partners": "Declared partners",
    "field.existing_partners.help": (
        "Ids of institutions you already work with, separated by commas; "
        "they are never suggested to you."
    ),
    # directory
    "directory.title": "Find a partner",
    "directory.lede": (
        "Search TVET institutions, companies and ministries. Open one to see the partners "
        "suggested for it, and why."
    ),
    "directory.search": "Search the directory",
    "directory.q": "Search",
    "directory.q.help": "Words in the name, city, fields, needs, offers or description.",
    "directory.any_country": "Any country",
    "directory.any_kind": "Any kind",
    "directory.field": "Technical field",
    "directory.field.help": "Finds profiles that name the field in any language.",
    "directory.any_field": "Any field",
    "directory.submit": "Search",
    "directory.results": "Results",
    "directory.invalid": "The search could not be run:",
    "directory.unknown_field": "Choose a field from the list.",
    "directory.count": "Showing {first}–{last} of {total}",
    "directory.none": "No institution matches these filters.",
    "directory.pages": "Pages",
    "directory.previous": "Previous page",
    "directory.next": "Next page",
    "directory.page": "Page {number} of {pages}",
    # institution page and suggestions
    "profile.edit": "Edit this profile",
    "profile.saved": "Your profile has been saved.",
    "suggest.title": "Suggested partners",
    "suggest.lede": (
        "Best first. A good partner offers what you seek and seeks what you offer; the "
        "reasons quote both profiles."
    ),
    "suggest.partners_from": "Partners from",
    "suggest.abroad": "Other countries only",
    "suggest.anywhere": "Any country",
    "suggest.update": "Update",
    "suggest.score": "Score",
    "suggest.score_of": "Score of {name}",
    "suggest.they_meet_my_needs": "They meet your needs",
    "suggest.i_meet_their_needs": "You meet theirs",
    "suggest.why": "Why",
    "suggest.none": "No suggestion yet: add what you seek and what you offer to your profile.",
    # signing in
    "sign_in.title": "Sign in",
    "sign_in.lede": (
        "Paste the key you received when your institution registered, or the organiser "
        "key for your workshop."
    ),
    "sign_in.key": "Key",
    "sign_in.key.help": "It starts with tvm_.",
    "sign_in.submit": "Sign in",
    "sign_in.bad_key": "This key is unknown or has been revoked.",
    "sign_in.privacy": (
        "The key is kept in this browser only (a cookie scripts cannot read) until you sign "
        "out or for eight hours."
    ),
    # editing a profile
    "edit.title": "Edit {name}",
    "edit.lede": "Other institutions see everything here except your contact email.",
    "edit.invalid": "Nothing was saved. Please correct the fields marked below.",
    "edit.about": "About you",
    "edit.matching": "What matching reads",
    "edit.private": "Private",
    "edit.save": "Save profile",
    "edit.cancel": "Cancel",
    # errors
    "error.title": "Not possible",
    "error.back": "Back to the directory",
    "error.sign_in_needed": "Please sign in with your key to see this page.",
    "error.not_your_profile": (
        "This key may change only its own institution's profile. Nothing was changed."
    ),
    "error.not_your_workshop": (
        "This key may not run this workshop. Ask the administrator for its organiser key."
    ),
    "error.forbidden": "This key does not allow this. Nothing was changed.",
    "error.csrf": (
        "This form has expired or did not come from this site, so nothing was done. "
        "Go back, reload the page and try again."
    ),
    "error.unknown_institution": "There is no institution with this number.",
    "error.unknown_workshop": "There is no workshop with this number.",
    "error.unknown_run": "This workshop has no pairing run with this number.",
    "error.not_found": "There is nothing at this address.",
    # form messages
    "form.at_item": "entry {n}: {message}",
    "form.at_key": "{key}: {message}",
    "form.not_an_id": "“{text}” is not an institution id.",
    "form.pair.choose": "Choose a pair.",
    "form.country_groups.help": "One country per line with its group, e.g. KH ASEAN.",
    "form.allowed_group_pairs.help": (
        "One pair of groups per line, e.g. CN ASEAN; a single group pairs it with itself."
    ),
    "form.forbidden.help": "Two institution ids per line, e.g. 12 17: never pair them.",
    "form.locked.help": "Two institution ids per line, e.g. 5 12: always pair them.",
    "form.max_partners_by_id.help": (
        "An institution id and its number of partners per line, e.g. 12 0 to leave it out."
    ),
    "form.unavailable.help": (
        "An institution id and the slots it cannot attend per line (first slot is 0), e.g. 17 0 1."
    ),
    # workshops
    "workshops.title": "Workshops",
    "workshops.lede": "Organisers run the pre-pairing of their workshop's participants here.",
    "workshops.sign_in": "Organisers: sign in with your workshop key.",
    "workshops.participants": "{count} participants",
    "workshops.open": "Open the console",
    "workshops.none": "No workshop yet.",
    # console
    "error.admins_only": "Only an admin key may do this.",
    "console.saved.details": "The workshop's details have been saved.",
    "console.saved.added": "The participant has been added.",
    "console.saved.removed": (
        "The participant has been removed (the profile stays in the directory)."
    ),
    "workshop_new.title": "New workshop",
    "workshop_new.lede": (
        "Create the workshop, then give its organisers the key shown on the next page."
    ),
    "workshop_new.create": "Create the workshop",
    "workshop.name": "Name",
    "workshop.starts_on": "First day",
    "workshop.ends_on": "Last day",
    "workshop.venue": "Venue",
    "workshop.time_zone": "Time zone",
    "workshop.time_zone.help": "The venue's zone, as in Asia/Phnom_Penh or Asia/Shanghai.",
    "workshop.details": "Details",
    "workshop.edit_details": "Change the name, dates, venue or time zone",
    "workshop.save": "Save the details",
    "workshop_created.title": "Workshop created",
    "workshop_created.done": "“{name}” has been created.",
    "workshop_created.key_title": "The organisers' key",
    "workshop_created.key_once": (
        "Copy this key now and give it to the organisers: it is shown only once and lets "
        "them run this workshop only."
    ),
    "workshop_created.key": "Organisers' key",
    "participants.find": "Find an institution to add",
    "participants.find.help": (
        "Type part of a name in any script (Khmer, Thai, Chinese...); matches appear as you type."
    ),
    "participants.search": "Search",
    "participants.add": "Add",
    "participants.remove": "Remove",
    "participants.none_found": "No institution outside the workshop matches “{q}”.",
    "participants.choose": "Choose an institution from the list.",
    "participants.unknown": "There is no institution with this number.",
    "participants.invite_no_mail": (
        "Invitations by email are not available: mail is not set up on this server. Institutions "
        "not yet in the directory can be added through the survey import."
    ),
    "picker.none": "(choose)",
    "picker.pair.first": "Add a pair: first institution",
    "picker.pair.second": "second institution",
    "picker.number.first": "Add an exception: institution",
    "picker.number.second": "its number of partners",
    "picker.slots.first": "Add: institution",
    "picker.slots.second": "slots it cannot attend",
    "picker.number_entry": "{name}: {number} partners",
    "picker.slots_entry": "{name}: slots {slots}",
    "picker.locked.help": (
        "These pairs are always made. Untick one to drop it; choose two participants to add one."
    ),
    "picker.forbidden.help": (
        "These pairs are never made. Untick one to drop it; choose two participants to add one."
    ),
    "picker.max_partners_by_id.help": (
        "A participant's own number of partners (0 leaves it out). Untick one to drop it."
    ),
    "picker.unavailable.help": (
        "Slots a participant cannot attend, numbered from 0 (the first slot), e.g. 0 1. Untick "
        "one to drop it."
    ),
    "picker.partners.help": (
        "Institutions you already work with: they are never suggested to you. Untick one "
        "to drop it; find others by name and tick them, then save."
    ),
    "picker.partners.find": "Find a partner by name",
    "picker.partners.none": "No institution matches “{q}”.",
    "refusal.int_parsing": "Enter a whole number.",
    "refusal.int_from_float": "Enter a whole number.",
    "refusal.float_parsing": "Enter a number.",
    "refusal.bool_parsing": "Choose yes or no.",
    "refusal.date_parsing": "Enter a date such as 2026-05-12.",
    "refusal.date_from_datetime_parsing": "Enter a date such as 2026-05-12.",
    "refusal.datetime_parsing": "Enter a date and time such as 2026-05-13T09:00.",
    "refusal.datetime_from_date_parsing": "Enter a date and time such as 2026-05-13T09:00.",
    "refusal.less_than_equal": "At most {limit}.",
    "refusal.less_than": "Less than {limit}.",
    "refusal.greater_than_equal": "At least {limit}.",
    "refusal.greater_than": "More than {limit}.",
    "refusal.string_too_long": "At most {limit} characters.",
    "refusal.string_too_short": "At least {limit} characters.",
    "refusal.too_long": "At most {limit} entries.",
    "refusal.too_short": "At least {limit} entries.",
    "refusal.literal_error": "Choose one of the options.",
    "refusal.enum": "Choose one of the options.",
    "refusal.missing": "A value is needed.",
    "refusal.blank": "Must not be blank.",
    "refusal.website": "Enter an address starting with http:// or https://.",
    "refusal.time_zone": "Enter a time zone name such as Asia/Phnom_Penh.",
    # the workshop rules' refusals (type codes of service.workshops and matching.pairing)
    "refusal.too_few": "A pairing needs at least 2 participants.",
    "refusal.not_participant": "{participant} is not a participant of this workshop.",
    "refusal.capacity_unknown_participant": "{participant} is not a participant.",
    "refusal.locked_unknown_participant": (
        "Locked pair ({a}, {b}): {participant} is not a participant."
    ),
    "refusal.locked_same_country": (
        "Locked pair ({a}, {b}) breaks a rule: both are from {country} and only "
        "cross-border pairs are allowed."
    ),
    "refusal.locked_forbidden": "Locked pair ({a}, {b}) breaks a rule: the pair is forbidden.",
    "refusal.locked_groups": (
        "Locked pair ({a}, {b}) breaks a rule: country groups {groups} are not an allowed pair."
    ),
    "refusal.locked_low_score": (
        "Locked pair ({a}, {b}) breaks a rule: its score {score} is zero or below the "
        "threshold {min_score}."
    ),
    "refusal.locked_over_capacity": (
        "Locked pair ({a}, {b}) exceeds capacity: {participant} would have {load} locked "
        "partners but may have {cap}."
    ),
    "refusal.not_run_pair": "This is not a pair of this run.",
    "refusal.not_swap_pair": "Choose another pair of this run that shares nobody with the first.",
    "refusal.unknown_institution": "No institution has id {id}.",
    "refusal.not_clearable": "This may be changed but not cleared.",
    "refusal.ends_before_start": "The end date must not be before the start date.",
    "console.title": "Console",
    "console.sections": "Workshop sections",
    "console.invalid": "Nothing was done. Please correct the fields marked below.",
    "console.participants": "Participants ({count})",
    "console.show_participants": "Show the participants",
    "console.no_participants": "No participant yet: import the survey first.",
    # survey import
    "import.title": "Import the survey",
    "import.lede": (
        "Upload the networking-survey CSV. You will see what it would create, update or "
        "reject before anything is written."
    ),
    "import.file": "Survey file (CSV or Excel .xlsx)",
    "import.encoding": "Encoding",
    "import.encoding.help": "UTF-8 unless the file was saved otherwise.",
    "import.dry_run": "Check the file",
    "import.choose_file": "Choose a CSV or .xlsx file to upload.",
    "import.preview_title": "Survey check",
    "import.preview_lede": "What importing “{file}” would do. Nothing has been written yet.",
    "import.summary": "Summary",
    "import.to_create": "new institutions",
    "import.to_update": "to update",
    "import.unchanged": "unchanged",
    "import.rejected": "refused",
    "import.fix_first": (
        "Some rows are refused: correct them in the file and upload it again. The import is "
        "all or nothing."
    ),
    "import.rejected_title": "Refused rows",
    "import.row": "Row",
    "import.column": "Column",
    "import.reason": "Why",
    "import.whole_file": "whole file",
    "import.warnings": "Warnings",
    "import.to_create_title": "New institutions",
    "import.to_update_title": "Institutions to update",
    "import.unchanged_title": "Already up to date",
    "import.changed": "Fields that change",
    "import.apply": "Import now",
    "import.cancel": "Cancel",
    "import.back": "Back to the console",
    "import.columns_title": "Match the columns",
    "import.columns_lede": (
        "These headers are not survey columns. Say what each one means: this workshop "
        "remembers it for the next files, here and through the API."
    ),
    "import.columns_ignore": "— ignore this column —",
    "import.columns_save": "Remember and check again",
    "import.applied": "The survey has been imported. The workshop has {participants} participants.",
    "import.proposal": "proposals to other profiles",
    "import.participant": "participants only",
    "import.proposal_title": "Proposals to institutions",
    "import.proposal_lede": (
        "These institutions keep their own profiles. They become participants, and each is "
        "sent the answers that differ as a proposal it may accept or dismiss."
    ),
    "import.participant_title": "Participants only",
    "import.proposed": "Fields proposed",
    "import.answers_moved": "Survey answers move out of the description",
    "answers.title": "Survey answers (Q2–Q4)",
    "answers.lede": "Answers for the organiser: they are not part of any profile or matching.",
    "answers.show": "Show the survey answers",
    "answers.none": "No survey answers yet.",
    "answers.download": "Download the answers (CSV)",
    "answers.challenges": "Challenges",
    "answers.strategies": "Strategies",
    "answers.wishes": "Wishes for the organiser",
    "proposals.title": "Changes proposed by workshop organisers",
    "proposals.lede": (
        "A workshop's survey named your institution with answers that differ from your "
        "profile. Nothing changes unless you accept."
    ),
    "proposals.from": "From “{workshop}”",
    "proposals.field": "Field",
    "proposals.current": "Now",
    "proposals.proposed": "Proposed",
    "proposals.accept": "Accept these changes",
    "proposals.dismiss": "Ignore",
    "proposals.accepted": "The proposed changes have been saved to your profile.",
    "proposals.dismissed": "The proposal has been ignored; your profile is unchanged.",
    # pairing rules
    "rules.title": "Pairing rules",
    "rules.lede": (
        "The pairing finds the best total score under these rules. Declared partners are "
        "never paired."
    ),
    "rules.capacity": "How many partners",
    "rules.max_partners": "Partners per participant",
    "rules.min_partners": "At least (where possible)",
    "rules.max_partners_by_id": "Exceptions",
    "rules.countries": "Countries",
    "rules.cross_border_only": "Never pair two from the same country",
    "rules.china_with_asean_only": "Only pair China with ASEAN countries",
    "rules.country_groups": "Country groups",
    "rules.named_group": "Add a named country group",
    "rules.named_group.help": (
        "Puts every member country in this group (a country listed above keeps its group); "
        "then name the group in the allowed group pairs, e.g. CN, ASEAN."
    ),
    "rules.named_group.none": "None",
    "rules.named_group.option": "{name}: {label} ({count} countries)",
    "rules.named_group.members": "Members of each group",
    "rules.named_group.source": "source",
    "form.named_group.unknown": "Choose one of the listed country groups.",
    "rules.allowed_group_pairs": "Allowed pairs of groups",
    "rules.pairs": "Fixed pairs",
    "rules.locked": "Always pair",
    "rules.forbidden": "Never pair",
    "rules.quality": "Quality",
    "rules.min_score": "Lowest score paired",
    "rules.min_score.help": "From 0 to 1; pairs below it are not made.",
    "rules.fairness": "Fairness",
    "rules.fairness.none": "Best total score",
    "rules.fairness.maximin": "Help the worst-off participant first",
    "rules.run": "Run the pairing",
    # runs
    "runs.title": "Pairing runs",
    "runs.number": "Run",
    "runs.run": "Run {number}",
    "runs.created": "Made",
    "runs.pairs": "Pairs",
    "runs.total": "Total score",
    "runs.gap": "Of the best possible",
    "runs.none": "No run yet.",
    "run.bound": "Best possible",
    "run.participants": "Participants",
    "run.pairs_title": "Pairs",
    "run.pairs_help": "Best score first. Open “Why” under a pair to read its reasons.",
    "run.rank": "#",
    "run.pair": "Pair",
    "run.score": "Score",
    "run.actions": "Actions",
    "run.why_pair": "Why",
    "run.optimal": (
        "No pairing under these rules can score more in total than this one ({total}): it "
        "is proved the best possible."
    ),
    "run.near_optimal": (
        "No pairing under these rules can score more than {bound} in total. This one scores "
        "{total}: at least {share}% of the best possible."
    ),
    "run.with": "with",
    "run.locked": "locked",
    "run.request_accepted": "mutual request",
    "run.request_pending": "asked to meet",
    "run.not_kept_title": "Accepted meeting requests not kept",
    "run.not_kept_help": (
        "These participants agreed to meet, but the run's rules and capacities come first; "
        "they were preferred instead of locked."
    ),
    "run.lock": "Lock and re-run",
    "run.forbid": "Forbid and re-run",
    "run.swap_title": "Swap partners",
    "run.swap_help": (
        "A × B and C × D become A × D and C × B, locked, and the pairing runs again."
    ),
    "run.swap_first": "First pair",
    "run.swap_second": "Second pair",
    "run.swap": "Swap and re-run",
    "run.adjust_refused": "The pairing could not run with that change:",
    "run.bad_adjustment": "Choose pairs of this run.",
    "run.swap_needs_two_pairs": "Choose two different pairs to swap.",
    "run.no_pairs": "No pair could be made under these rules.",
    "run.unpaired_title": "Left without a partner",
    "run.why": "Why",
    "run.alternates_title": "Alternates",
    "run.alternates_help": "Next-best partners, for when a meeting falls through.",
    "run.participant": "Participant",
    "run.alternates": "Alternates, best first",
    "unpaired.no_eligible_partner": "No eligible partner under the rules",
    "unpaired.below_threshold": "Every possible partner scores below the lowest score",
    "unpaired.capacity": "Possible partners were already taken",
    # downloads
    "download.pairs": "Download pairs (CSV)",
    "download.alternates": "Download alternates (CSV)",
    "download.schedule": "Download timetable (CSV)",
    "download.ics": "Download calendar (.ics)",
    "download.html": "Download printable timetable",
    # schedule
    "schedule.title": "Timetable",
    "schedule.title_run": "Timetable of run {number}",
    "schedule.view": "See the timetable",
    "schedule.lede": "Times are in the workshop's zone ({zone}). Nobody is booked twice at once.",
    "schedule.invalid": "The timetable could not be made:",
    "schedule.starts_at": "First meeting starts",
    "schedule.slot_minutes": "Minutes per meeting",
    "schedule.break_minutes": "Minutes between meetings",
    "schedule.tables": "Tables",
    "schedule.with_alternates": "Alternates to meet",
    "schedule.with_alternates.help": "Also schedule this many alternates per participant (0–3).",
    "schedule.unavailable": "Unavailable slots",
    "schedule.make": "Make the timetable",
    "schedule.none": "This run has no timetable yet: make one on the run's page.",
    "schedule.summary": (
        "{meetings} meetings in {slots} time slots of {minutes} minutes, times in {zone}."
    ),
    "schedule.lower_bound": "No timetable could use fewer than {bound} slots.",
    "schedule.unplaced": "{count} meetings did not fit: add tables or slots.",
    "schedule.back": "Back to the run",
    "schedule.scroll_cue": (
        "{tables} tables side by side: scroll sideways to see them all; the time stays in view."
    ),
    "schedule.caption": "Meetings by time ({zone}) and table",
    "schedule.time": "Time",
    "schedule.table": "Table {number}",
    "schedule.alternate": "alternate",
    "schedule.free": "free",
    # outcomes
    "outcomes.title": "Outcomes",
    "outcomes.pair": "Pair",
    "outcomes.status": "What happened",
    "outcomes.happened_on": "Date",
    "outcomes.note": "Note",
    "outcomes.record": "Record",
    "outcomes.recorded": "The outcome has been recorded.",
    "outcomes.invalid": "The outcome was not recorded:",
    "outcomes.none": "No outcome recorded yet.",
    "outcome.met": "Met",
    "outcome.mou_signed": "MoU signed",
    "outcome.declined": "Declined",
    # report
    "report.title": "Report",
    "report.compared_with": "Compared with run {number}.",
    "report.no_run": "No pairing run yet.",
    "report.results_caption": "Pairs suggested, met and signed",
    "report.suggested": "Pairs suggested",
    "report.met": "Pairs that met",
    "report.signed": "MoUs signed",
    "report.declined": "Declined",
    "report.countries_caption": "Participants by country ({count} in all)",
    "report.share": "{share} of the signed MoUs are between pairs the run suggested.",
    "report.never_suggested": "Never suggested a partner ({count})",
    # network
    "network.title": "Network",
    "network.lede": "Participants coloured by country, with the pairs of run {number}.",
    "network.no_run": "Participants coloured by country. Run a pairing to see pairs.",
    "network.graph_label": "Network graph: {nodes} participants, {edges} pairs",
    "network.focus": "Highlight a participant",
    "network.everyone": "Everyone",
    "network.legend": "Countries",
    "network.edge.suggested": "suggested by the run",
    "network.edge.met": "met",
    "network.edge.signed": "MoU signed",
    "network.filter_help": "Untick a country to hide its participants.",
    "network.pairs_legend": "Pairs",
    "network.as_table": "The same pairs as a table",
    # meeting requests and my partners
    "nav.my_partners": "My partners",
    "meet.request": "Request a meeting",
    "meet.title": "Ask {name} to meet",
    "meet.lede": (
        "Say briefly why you would like to meet. They see your public profile; both "
        "contact emails are shown to both of you only once they accept."
    ),
    "meet.message": "Message",
    "meet.message.help": "Up to 2000 characters, e.g. what you would like to discuss.",
    "meet.proposed_date": "Proposed date (optional)",
    "meet.proposed_date.help": "A day to meet, e.g. during a workshop.",
    "meet.send": "Send the request",
    "meet.not_sent": "The request was not sent:",
    "meet.already_open": (
        "A meeting request between your institutions is already open: answer or withdraw it first."
    ),
    "meet.cap_reached": (
        "Your institution has sent {n} meeting requests today, the most allowed per day. "
        "Try again tomorrow (after midnight UTC)."
    ),
    "meet.institutions_only": (
        "Meeting requests are sent and answered by institutions: sign in with your "
        "institution's key."
    ),
    "meet.not_yourself": "An institution cannot ask itself to meet.",
    "meet.not_yours_to_answer": (
        "Only the institution asked may accept or decline this request. Nothing was changed."
    ),
    "meet.already_answered": (
        "This request has already been accepted, declined or withdrawn. Nothing was changed."
    ),
    "meet.accept": "Accept",
    "meet.decline": "Decline",
    "meet.reason": "Reason (optional)",
    "meet.withdraw": "Withdraw",
    "meet.on_date": "proposed for {date}",
    "meet.reason_given": "Reason given: {reason}",
    "meet.status.requested": "waiting for an answer",
    "meet.status.accepted": "accepted",
    "meet.status.declined": "declined",
    "meet.status.withdrawn": "withdrawn",
    "me.title": "My partners",
    "me.lede": (
        "Meeting requests of {name}: those you received, those you sent, and the "
        "partners who agreed to meet, with their contact."
    ),
    "me.partners": "Agreed to meet",
    "me.no_partners": (
        "No accepted meeting yet. Contact emails appear here once a request is accepted."
    ),
    "me.no_contact": "no contact email given",
    "me.received": "Requests received",
    "me.none_received": "No request received yet.",
    "me.sent": "Requests sent",
    "me.none_sent": "No request sent yet: ask a suggested partner below.",
    "me.flash.sent": "Your meeting request was sent.",
    "me.flash.accept": "You accepted the request: both contact emails are now shown.",
    "me.flash.decline": "You declined the request.",
    "me.flash.withdraw": "The request was withdrawn.",
    # opportunities
    "nav.opportunities": "Opportunities",
    "me.browse_opportunities": "Browse all open opportunities",
    "opp.title": "Opportunities",
    "opp.lede": (
        "Offers and calls that institutions publish: internships, scholarships, labs to "
        "share, calls for trainers. Open one to express your interest."
    ),
    "opp.search": "Search the opportunities",
    "opp.q": "Search",
    "opp.q.help": "Words in the title or the text.",
    "opp.direction": "Offer or call",
    "opp.direction.help": "An offer gives what its text says; a call asks for it.",
    "opp.direction.offer": "Offer",
    "opp.direction.call": "Call",
    "opp.any_direction": "Offers and calls",
    "opp.type": "Program type",
    "opp.any_type": "Any program type",
    "opp.open_to_country": "Open to institutions of",
    "opp.field.help": "Text in one of its technical fields, e.g. welding.",
    "opp.results": "Opportunities found",
    "opp.count": "{total} open opportunities",
    "opp.none": "No open opportunity matches these filters.",
    "opp.deadline_on": "until {date}",
    "opp.status.open": "open",
    "opp.status.closed": "closed",
    "opp.open_to": "Open to",
    "opp.anyone": "anyone",
    "opp.capacity": "Places",
    "opp.capacity.help": "How many places, if limited.",
    "opp.deadline": "Deadline",
    "opp.deadline.help": (
        "Open through this day everywhere on Earth; leave empty: open until closed."
    ),
    "opp.language": "Language of the text",
    "opp.publish": "Publish an opportunity",
    "opp.publish.lede": (
        "Publish an offer or a call for your institution. Institutions that may take it up "
        "find it here and in their suggestions."
    ),
    "opp.publish.submit": "Publish",
    "opp.not_published": "The opportunity was not published:",
    "opp.field.title": "Title",
    "opp.field.text": "Text",
    "opp.field.text.help": "What it is, for whom, when; each sentence is matched on its own.",
    "opp.eligible_countries": "Open to these countries",
    "opp.eligible_kinds": "Open to these kinds of institution",
    "opp.eligible.help": "Choose none for anyone; hold Ctrl (⌘ on a Mac) to choose several.",
    "opp.interested_title": "Interested institutions ({n})",
    "opp.no_interest": "No institution has expressed interest yet.",
    "opp.close": "Close this opportunity",
    "opp.your_interest": "Your interest",
    "opp.interest_not_sent": "Your interest was not recorded:",
    "opp.interest_forbidden": (
        "Your institution may not take this opportunity up (its countries or kinds), or "
        "it is your own. Nothing was changed."
    ),
    "opp.sign_in_to_express": "Sign in to express your interest",
    "opp.back": "Back to the opportunities",
    "opp.unknown": "There is no opportunity with this number.",
    "opp.not_yours": (
        "Only the institution that published this opportunity may close it. Nothing was changed."
    ),
    "opp.institutions_only": "Only an institution's key publishes opportunities on these pages.",
    "opp.flash.published": "The opportunity is published.",
    "opp.flash.closed": "The opportunity is closed; it stays readable, marked closed.",
    "opp.flash.interest": "Your interest was sent to the publisher.",
    "opp.flash.withdrawn": "Your interest was withdrawn.",
    # email sign-in, and a new key shown once
    "sign_in.email.title": "No key at hand? Sign in by email",
    "sign_in.email.lede": (
        "Enter your institution's contact email: we send a link that signs you in "
        "once, within 15 minutes. It also gives you a new key if you lost yours."
    ),
    "sign_in.email": "Contact email",
    "sign_in.email.submit": "Email me a sign-in link",
    "sign_in.email_unavailable": (
        "Email sign-in is not available on this server: sign in with your key, or "
        "ask an administrator for a new one."
    ),
    "sign_in.email_invalid": "Enter an email address, e.g. international@college.example.org.",
    "sign_in.email_sent": (
        "If an institution uses this address, a sign-in link is on its way. It works "
        "once, for {minutes} minutes."
    ),
    "sign_in.email_failed": (
        "The email could not be sent just now. Nothing was changed; please try again later."
    ),
    "sign_in.link.title": "Sign in with your email link",
    "sign_in.link.lede": (
        "Press the button to sign in on this browser. The link then stops working."
    ),
    "sign_in.link.submit": "Sign in",
    "sign_in.link.failed": "This link has been used already or has expired.",
    "sign_in.link.again": "Ask for a new link",
    "mail.sign_in.subject": "Sign in to tvet-match for {name}",
    "mail.sign_in.body": (
        "Hello,\n\nOpen this link to sign in to tvet-match for {name}:\n\n{link}\n\nIt "
        "works once, for {minutes} minutes. If you did not ask for it, ignore this "
        "email.\n"
    ),
    "key.title": "Your key: keep it",
    "key.registered": "Your institution is registered and you are signed in.",
    "key.lede": (
        "This browser is signed in with the key below. Programs use it to call the "
        "API (Authorization: Bearer <key>)."
    ),
    "key.label": "Your key",
    "key.keep_it": (
        "Copy it to a safe place now: it is shown only this once and we cannot show "
        "it again. If you lose it, sign in by email for a new one."
    ),
    "key.continue": "I have kept it: go to my partners",
    "key.profile": "See my public profile",
    # registration
    "nav.register": "Register",
    "register.title": "Register your institution",
    "register.lede": (
        "Three short steps: who you are, what you work on, and what you seek and "
        "offer. Partners are suggested from the last step."
    ),
    "register.invalid": "The profile was not saved; see the fields marked below.",
    "register.closed": (
        "Registration is closed on this server: ask an organiser or administrator to "
        "register your institution."
    ),
    "register.duplicate": "An institution with this name is already registered in this country.",
    "register.existing": "This institution is already registered:",
    "register.existing_link": "see its profile",
    "register.existing_yours": (
        "If it is yours, sign in with its key or by an email link sent to its contact email."
    ),
    "register.step.about": "1. Who you are",
    "register.step.work": "2. What you work on",
    "register.step.match": "3. What you seek and what you offer",
    "register.pick.help": "Choose one or more (hold Ctrl, or ⌘ on a Mac, to choose several).",
    "register.needs.help": (
        "One per line, e.g. “teacher training in EV maintenance” or “internship hosts in China”."
    ),
    "register.offers.help": (
        "One per line, e.g. “Khmer language courses” or “student cohorts for exchange”."
    ),
    "register.contact.help": (
        "Private: shown to a partner only once you both agree to meet. Sign-in links "
        "are sent to it."
    ),
    "register.submit": "Register and get my key",
    # claiming a profile
    "claim.unclaimed": (
        "This profile has not been claimed: it was created from published "
        "information, and no one from the institution manages it yet."
    ),
    "claim.link": "Is it yours? Claim it",
    "claim.title": "Claim {name}",
    "claim.lede": (
        "Tell us who you are and give an email address at the institution. We send a "
        "link to check the address; then an administrator (or the organiser of a "
        "workshop it takes part in) approves the claim, and a sign-in link with a "
        "key is sent to that address."
    ),
    "claim.claimant": "Your name and role",
    "claim.email": "Your email at the institution",
    "claim.email.help": (
        "It becomes the profile's private contact email once the claim is approved."
    ),
    "claim.note": "Anything that helps us check (optional)",
    "claim.submit": "Send the claim",
    "claim.invalid": "Give your name and an email address.",
    "claim.sent": (
        "We sent a link to {email}: open it to confirm the address. The claim then "
        "waits for an administrator."
    ),
    "claim.already_claimed": (
        "This profile has already been claimed. If it is yours, sign in with its key "
        "or by an email link."
    ),
    "claim.verify.title": "Confirm your claim",
    "claim.verify.submit": "Confirm my email address",
    "claim.verify.failed": "This link has been used already or has expired.",
    "claim.verify.pending": (
        "Thank you: your address is confirmed. An administrator will look at the "
        "claim; if it is approved, a sign-in link arrives at that address."
    ),
    "claim.deciders_only": "Claims are decided by administrators and workshop organisers.",
    "claim.not_yours_to_decide": "This key may not decide this claim. Nothing was changed.",
    "claim.already_decided": "This claim has already been decided. Nothing was changed.",
    "claims.title": "Claims to decide",
    "claims.lede": (
        "People who confirmed an email address and ask to manage a profile that no one manages yet."
    ),
    "claims.by": "Claimed by {claimant}, {email}",
    "claims.approve": "Approve",
    "claims.reject": "Reject",
    "claims.none": "No claim waits for your decision.",
    "claims.done.approve": "Approved: a sign-in link with a key was sent to the claimant.",
    "claims.done.reject": "Rejected.",
    "mail.claim.subject": "Confirm your claim of {name} on tvet-match",
    "mail.claim.body": (
        "Hello,\n\nSomeone (we hope you) asked to manage the profile of {name} on "
        "tvet-match. Open this link to confirm this address:\n\n{link}\n\nIf you did not "
        "ask, ignore this email.\n"
    ),
    "mail.claim.approved": (
        "Hello,\n\nYour claim of {name} on tvet-match was approved. Open this link to "
        "sign in and receive the institution's key:\n\n{link}\n\nIt works once, for "
        "{minutes} minutes; later, ask for a new link on the sign-in page.\n"
    ),
    # my partners: opportunities and saved searches
    "me.opportunities": "Open opportunities that fit",
    "me.none_opportunities": "No open opportunity fits your profile now.",
    "me.express_interest": "Express interest",
    "me.withdraw_interest": "Withdraw my interest",
    "me.interested": "You expressed interest.",
    "me.note": "Note for the publisher (optional)",
    "me.interest_refused": (
        "Interest could not be expressed: the opportunity is closed, or you hold the "
        "most expressions of interest allowed. Nothing was changed."
    ),
    "me.saved_searches": "Saved searches",
    "me.none_saved": (
        "No saved search yet (they are made over the API: POST /api/v1/saved-searches)."
    ),
    "me.upcoming": "Upcoming meetings",
    "me.none_upcoming": (
        "No meeting to come yet: workshop meetings appear once the organiser makes the "
        "timetable, and agreed requests once they name a date."
    ),
    "me.agreed_date": "agreed meeting request",
    "me.calendar": "Calendar feed",
    "me.calendar_help": (
        "A private address your calendar app (Outlook, Google Calendar, Apple Calendar) can "
        "subscribe to: your workshop meetings and the dates of agreed requests. Anyone who "
        "has the address can read them; replace it if it was shared by mistake."
    ),
    "me.calendar_active": (
        "Your calendar feed is on since {date}. Its address was shown once, when made."
    ),
    "me.calendar_off": "You have no calendar feed.",
    "me.calendar_new": "Your new calendar address (shown only now, keep it):",
    "me.calendar_make": "Make a calendar address",
    "me.calendar_replace": "Replace the address (the old one stops working)",
    "me.calendar_revoke": "Turn the feed off",
    "me.flash.calendar_off": "Your calendar feed is off: its address no longer works.",
    "me.alerts": "Alerts from saved searches",
    "me.none_alerts": (
        "No alert yet: they appear when a profile or opportunity enters a saved search."
    ),
    "me.alert_entered": "entered “{search}” on {date}",
    "me.alert_deleted": "(deleted since)",
    "me.unnamed_search": "Unnamed search",
    "me.flash.interest": "Your interest was sent to the publisher.",
    "me.flash.withdrawn": "Your interest was withdrawn.",
    # after the workshop: participants report on their own pairs
    "follow_up.title": "Follow-up",
    "follow_up.lede": (
        "Each participant paired in the latest run has a private link to report, for each "
        "of its pairs, whether they met, signed an MoU or declined. Their reports become the "
        "outcomes in the report."
    ),
    "follow_up.waiting": "{count} of {total} participants have not answered for all their pairs.",
    "follow_up.send_reminders": "Email a reminder to those who have not answered",
    "follow_up.mail_unavailable": (
        "Email is not set up on this server, so reminders cannot be sent. Copy each link "
        "below and pass it on yourself."
    ),
    "follow_up.mail_failed": "The mail server did not take the reminders. Try again later.",
    "follow_up.reminded": "Reminders sent: {count}.",
    "follow_up.participant": "Participant",
    "follow_up.answered": "Answered",
    "follow_up.answered_of": "{answered} of {pairs}",
    "follow_up.link": "Private link",
    "follow_up.link_of": "Private link of {name}",
    "follow_up.reminded_at": "Last reminded",
    "follow_up.no_email": "no contact email",
    "follow_up.no_run": "No pairing run yet: links appear once the pairs are made.",
    "follow_up.own_title": "How did your meetings go?",
    "follow_up.own_lede": (
        "{name}: your pairs at {workshop}. For each partner, say whether you met, signed "
        "an MoU or declined."
    ),
    "follow_up.pairs_of": "Your pairs at {workshop}",
    "follow_up.partner": "Partner",
    "follow_up.you_said": "You said",
    "follow_up.they_said": "They said",
    "follow_up.report": "Report",
    "follow_up.reported": "Thank you: your answer has been recorded.",
    "follow_up.both_sides": (
        "If you and your partner answer differently, the lesser answer counts (declined, "
        "then met, then MoU signed): an MoU counts once both of you say it was signed."
    ),
    "follow_up.no_pairs": "You have no pairs in this workshop's latest run.",
    "follow_up.unknown_link": "This report link is not valid (or no longer a participant's).",
    "follow_up.not_your_pair": "That partner is not one of your pairs in the latest run.",
    "me.own_pairs": "Report on your workshop pairs",
    "me.flash.reported": "Thank you: your answer has been recorded.",
    # invitations by email
    "invite.title": "Invitations",
    "invite.lede": (
        "Invite an institution by email: the message links to a page where it signs in (with "
        "its key or an emailed sign-in link) or registers, then joins this workshop's "
        "participants. Below, who has joined."
    ),
    "invite.email": "Email address",
    "invite.send": "Send the invitation",
    "invite.sent": "The invitation has been sent.",
    "invite.sent_at": "Sent",
    "invite.joined": "Joined",
    "invite.joined_as": "joined as {name}",
    "invite.waiting": "not yet",
    "invite.none": "No invitation sent yet.",
    "invite.mail_unavailable": (
        "Email is not set up on this server, so invitations cannot be sent. Add participants "
        "by name on the console instead."
    ),
    "invite.mail_failed": "The mail server did not take the invitation. Try again later.",
    "invite.unknown": "This invitation link is not valid.",
    "invite.used": "This invitation has already been used by another institution.",
    "invite.institutions_only": "Only an institution's key can join a workshop.",
    "invite.page_title": "Invitation to {workshop}",
    "invite.join": "Join this workshop",
    "invite.you_joined": "Your institution is a participant of this workshop.",
    "invite.sign_in_first": (
        "Sign in as your institution to join (with its key, or a sign-in link sent to its "
        "contact email). New here? Register your institution, then open this invitation again."
    ),
    "invite.sign_in": "Sign in",
    "invite.register": "Register an institution",
    # b16: accepted meeting requests a run could not lock, by code (matching.pairing.LockRefusal)
    "run.not_kept.not_participants": "{a} × {b}: the two are not both participants.",
    "run.not_kept.same_country": (
        "{a} × {b}: both are from {country}, and this run pairs across borders only."
    ),
    "run.not_kept.forbidden": (
        "{a} × {b}: the pair is forbidden (a forbidden pair, declared partners or a declined "
        "request)."
    ),
    "run.not_kept.groups": "{a} × {b}: {groups} is not an allowed pair of country groups.",
    "run.not_kept.low_score": "{a} × {b}: their score is zero or below the threshold.",
    "run.not_kept.capacity": "{a} × {b}: {participant} has no partner left under its capacity.",
    # b16: the named country groups' labels (seed/country_groups.json holds them in English)
    "country_group.ASEAN": "Association of Southeast Asian Nations",
    "country_group.LMC": "Lancang-Mekong Cooperation",
    # b16: invitations with a name and a message
    "invite.institution_name": "Institution's name (optional, for the greeting)",
    "invite.message": "A message of yours (optional)",
    "invite.invalid": (
        "Enter a valid email address; a name up to 200 characters and a message up to 2,000."
    ),
    # b15: meeting request emails, in the reader's language (service/meetings/notices.py)
    "mail.meeting.requested.subject": "{sender} asks to meet {receiver}",
    "mail.meeting.requested.body": (
        "{sender} would like to meet {receiver} and wrote:\n\n{message}\n\n"
        "Accept or decline it here:\n{link}\n"
    ),
    "mail.meeting.accepted.subject": "{receiver} accepted your meeting request",
    "mail.meeting.accepted.body": (
        "{receiver} accepted the meeting request of {sender}. Both contact emails are "
        "now shown on your partners page:\n{link}\n"
    ),
    "mail.meeting.declined.subject": "{receiver} declined your meeting request",
    "mail.meeting.declined.body": (
        "{receiver} declined the meeting request of {sender}.{reason}\n"
        "Your partners page:\n{link}\n"
    ),
    "mail.meeting.declined.reason": "\nReason given: {reason}\n",
    # b16: the emails organisers send (invitations, reminders)
    "mail.invitation.subject": "Invitation: {workshop}",
    "mail.invitation.body": (
        "{greeting}You are invited to {workshop} ({dates}{venue}).\n\n{message}"
        "Open this link to join as a participant: sign in with your institution's key or "
        "an emailed sign-in link, or register your institution if it is new here.\n\n"
        "{link}\n"
    ),
    "mail.invitation.greeting": "Dear {name},\n\n",
    "mail.invitation.message": "The organisers write:\n\n{message}\n\n",
    "mail.reminder.subject": "{workshop}: how did your meetings go?",
    "mail.reminder.body": (
        "Dear {name},\n\n"
        "After {workshop}, please tell us what came of your meetings: for each partner you "
        "were paired with, whether you met, signed an MoU, or declined. You have answered "
        "for {answered} of your {pairs} pairs.\n\n"
        "Your private link (no key or password needed):\n{link}\n\n"
        "Thank you.\n"
    ),
}
