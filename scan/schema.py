"""The database schema as named, ordered migrations (sqlite-utils Migrations).

A migration, once released, is never edited: add a new one instead. Each is
recorded in the database, so `scan init-db` and app start-up are safe to run
again and again.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("samenscan")


@migrations(name="0001_accounts")
def accounts(db: Database) -> None:
    db.executescript("""
        create table user (
            id integer primary key,
            email text not null unique collate nocase,
            name text not null,
            password_hash text not null,
            is_admin integer not null default 0,
            created_at text not null default (datetime('now'))
        );
        create table partnership (
            id integer primary key,
            name text not null,
            created_at text not null default (datetime('now'))
        );
        create table membership (
            user_id integer not null references user(id) on delete cascade,
            partnership_id integer not null references partnership(id) on delete cascade,
            role text not null check (role in ('coordinator', 'facilitator', 'viewer')),
            primary key (user_id, partnership_id)
        );
        create index membership_partnership on membership(partnership_id);
    """)


@migrations(name="0002_rounds_and_answers")
def rounds_and_answers(db: Database) -> None:
    db.executescript("""
        create table partner (
            id integer primary key,
            partnership_id integer not null references partnership(id) on delete cascade,
            name text not null,
            type text not null check (type in ('school', 'bestuur', 'instituut')),
            sector text not null check (sector in ('po', 'vo', 'mbo')),
            unique (partnership_id, name)
        );
        create table round (
            id integer primary key,
            partnership_id integer not null references partnership(id) on delete cascade,
            school_year text not null,
            title text not null,
            status text not null default 'open' check (status in ('open', 'closed')),
            created_at text not null default (datetime('now')),
            closed_at text
        );
        create index round_partnership on round(partnership_id, school_year);
        create table round_set (
            round_id integer not null references round(id) on delete cascade,
            set_id text not null,
            set_version integer not null,
            item_ids text not null,
            position integer not null,
            primary key (round_id, set_id)
        );
        create table group_link (
            id integer primary key,
            round_id integer not null references round(id) on delete cascade,
            partner_id integer not null references partner(id),
            role text not null,
            token text not null unique,
            unique (round_id, partner_id, role)
        );
        create table respondent (
            id integer primary key,
            round_id integer not null references round(id) on delete cascade,
            group_link_id integer not null references group_link(id),
            token_hash text not null unique,
            next_page integer not null default 0,
            started_at text not null default (datetime('now')),
            submitted_at text
        );
        create index respondent_round on respondent(round_id, group_link_id);
        create table answer (
            respondent_id integer not null references respondent(id) on delete cascade,
            round_id integer not null,
            set_id text not null,
            dimension_id text not null,
            item_id text not null,
            value integer,
            dont_know integer not null default 0,
            primary key (respondent_id, item_id)
        );
        create index answer_round_item on answer(round_id, set_id, item_id, value, dont_know);
        create table comment (
            respondent_id integer not null references respondent(id) on delete cascade,
            round_id integer not null,
            set_id text not null,
            dimension_id text not null,
            body text not null,
            primary key (respondent_id, dimension_id)
        );
        create index comment_round on comment(round_id, dimension_id);
    """)


@migrations(name="0003_workshops_and_actions")
def workshops_and_actions(db: Database) -> None:
    db.executescript("""
        create table workshop (
            id integer primary key,
            partnership_id integer not null references partnership(id) on delete cascade,
            title text not null,
            held_on text not null,
            round_id integer references round(id) on delete set null,
            token text not null unique,
            status text not null default 'open' check (status in ('open', 'closed')),
            position integer not null default 0,
            revealed integer not null default 0,
            version integer not null default 0,
            created_at text not null default (datetime('now'))
        );
        create index workshop_partnership on workshop(partnership_id, held_on);
        create table workshop_deck (
            workshop_id integer not null references workshop(id) on delete cascade,
            deck_id text not null,
            primary key (workshop_id, deck_id)
        );
        create table workshop_card (
            id integer primary key,
            workshop_id integer not null references workshop(id) on delete cascade,
            card_id text not null,
            sequence integer not null,
            reason text,
            skipped integer not null default 0,
            notes text not null default '',
            notes_version integer not null default 0,
            unique (workshop_id, card_id)
        );
        create table action (
            id integer primary key,
            partnership_id integer not null references partnership(id) on delete cascade,
            workshop_id integer references workshop(id) on delete set null,
            card_id text,
            text text not null,
            owner text not null,
            due_on text,
            status text not null default 'open' check (status in ('open', 'bezig', 'klaar')),
            dimension_id text,
            created_at text not null default (datetime('now')),
            updated_at text not null default (datetime('now'))
        );
        create index action_partnership on action(partnership_id, status);
        create index action_dimension on action(partnership_id, dimension_id);
    """)


@migrations(name="0004_releases")
def releases(db: Database) -> None:
    # Results change only at a release (docs/privacy.md): a respondent's answers
    # enter the reports with the release that first includes them.
    db.executescript("""
        alter table respondent add column release_no integer;
        alter table respondent add column started_again integer not null default 0;
        alter table round add column results text not null default 'closed'
            check (results in ('closed', 'interim'));
        create table release (
            round_id integer not null references round(id) on delete cascade,
            number integer not null,
            created_at text not null default (datetime('now')),
            respondents integer not null,
            partners text not null,
            decisions text not null,
            primary key (round_id, number)
        );
        create index respondent_release on respondent(round_id, release_no);
    """)


@migrations(name="0005_sessions_passwords_audit")
def sessions_passwords_audit(db: Database) -> None:
    # session_version ends every session of an account at sign-out or a new
    # password; must_change_password marks temporary passwords.
    db.executescript("""
        alter table user add column session_version integer not null default 0;
        alter table user add column must_change_password integer not null default 0;
        create table audit (
            id integer primary key,
            at text not null default (datetime('now')),
            user_id integer references user(id) on delete set null,
            partnership_id integer references partnership(id) on delete cascade,
            action text not null,
            detail text not null default ''
        );
        create index audit_partnership on audit(partnership_id, at);
    """)


@migrations(name="0006_invitations")
def invitations(db: Database) -> None:
    db.executescript("""
        create table invitation (
            id integer primary key,
            token_hash text not null unique,
            partnership_id integer not null references partnership(id) on delete cascade,
            email text not null collate nocase,
            name text not null,
            role text not null check (role in ('coordinator', 'facilitator', 'viewer')),
            invited_by integer references user(id) on delete set null,
            created_at text not null default (datetime('now')),
            accepted_at text
        );
        create index invitation_partnership on invitation(partnership_id, accepted_at);
    """)


@migrations(name="0007_link_cap")
def link_cap(db: Database) -> None:
    # At most this many questionnaires may start through one group link (null: no cap).
    db.execute("alter table round add column cap_per_link integer")


@migrations(name="0008_rounds_that_fit")
def rounds_that_fit(db: Database) -> None:
    # role_setting: which respondent roles a partner type has in this partnership
    # (no rows: the defaults in scan.partners). A link can be switched off
    # (active = 0) without losing its answers; invited is the coordinator's own
    # count of people asked, for the response rate. A partner can be archived
    # instead of deleted once answers hang on it. closes_on: the round closes
    # itself at the end of that day.
    db.executescript("""
        create table role_setting (
            partnership_id integer not null references partnership(id) on delete cascade,
            partner_type text not null check (partner_type in ('school', 'bestuur', 'instituut')),
            role text not null,
            primary key (partnership_id, partner_type, role)
        );
        alter table group_link add column active integer not null default 1;
        alter table group_link add column invited integer;
        alter table partner add column archived integer not null default 0;
        alter table round add column closes_on text;
    """)


@migrations(name="0009_joint_scoring")
def joint_scoring(db: Database) -> None:
    # A joint scoring session (samen scoren) is a workshop of kind 'joint' for one
    # round and set. joint_dimension holds its dimensions in the order discussed,
    # each with its step and, once agreed, the joint score and its evidence.
    # A placement keeps its participant only while it may still change: revealing
    # the spread sets participant_id to null (scan.joint), so afterwards nobody,
    # not even someone reading the database, can tell who placed what. Closing the
    # session forgets the participants altogether. Sticky notes never record who
    # wrote them; a dot vote keeps each person's dots only while it runs, then only
    # the total per dimension (joint_dimension.dots).
    db.executescript("""
        alter table workshop add column kind text not null default 'cards'
            check (kind in ('cards', 'joint'));
        alter table workshop add column set_id text;
        alter table workshop add column timer_ends text;
        alter table workshop add column dots integer not null default 0;
        create table joint_dimension (
            workshop_id integer not null references workshop(id) on delete cascade,
            dimension_id text not null,
            position integer not null,
            step text not null default 'place' check (step in ('place', 'spread', 'agree')),
            score integer,
            evidence text not null default '',
            agreed_at text,
            notes_shown integer not null default 0,
            dots integer not null default 0,
            primary key (workshop_id, dimension_id)
        );
        create table participant (
            id integer primary key,
            workshop_id integer not null references workshop(id) on delete cascade,
            token_hash text not null unique,
            partner_type text not null check (partner_type in ('school', 'bestuur', 'instituut')),
            role text not null,
            joined_at text not null default (datetime('now'))
        );
        create index participant_workshop on participant(workshop_id);
        create table placement (
            id integer primary key,
            workshop_id integer not null references workshop(id) on delete cascade,
            dimension_id text not null,
            participant_id integer references participant(id) on delete set null,
            partner_type text not null,
            value integer not null
        );
        create unique index placement_once on placement(workshop_id, dimension_id, participant_id);
        create table sticky_note (
            id integer primary key,
            workshop_id integer not null references workshop(id) on delete cascade,
            dimension_id text not null,
            body text not null,
            created_at text not null default (datetime('now'))
        );
        create index sticky_note_dimension on sticky_note(workshop_id, dimension_id);
        create table dot (
            workshop_id integer not null references workshop(id) on delete cascade,
            participant_id integer not null references participant(id) on delete cascade,
            dimension_id text not null,
            dots integer not null check (dots > 0),
            primary key (workshop_id, participant_id, dimension_id)
        );
    """)


@migrations(name="0010_action_log")
def action_log(db: Database) -> None:
    # A short progress log per action (actiepunt): on a date, the status it had
    # then and one line about it. Adding an entry also sets the action's status
    # (scan.workshops.add_progress). The same entry sent twice in a row is kept once;
    # the same status may come back later ("bezig" again after "klaar").
    db.executescript("""
        create table action_log (
            id integer primary key,
            action_id integer not null references action(id) on delete cascade,
            at text not null,
            status text not null check (status in ('open', 'bezig', 'klaar')),
            note text not null default '' check (length(note) <= 200),
            created_at text not null default (datetime('now'))
        );
        create index action_log_action on action_log(action_id, at);
    """)


@migrations(name="0011_released_aggregates")
def released_aggregates(db: Database) -> None:
    # Each set's report of a release, computed once (scan.stored) as JSON: what
    # scan.scoring computed from the release, partners keyed by id. Keyed by the
    # anonymity threshold and the set as asked (version and a digest), so a
    # changed threshold or question file computes and stores its own.
    db.executescript("""
        create table released_report (
            id integer primary key autoincrement,
            round_id integer not null,
            release_no integer not null,
            set_id text not null,
            threshold integer not null,
            set_version text not null,
            body text not null,
            created_at text not null default (datetime('now')),
            foreign key (round_id, release_no) references release(round_id, number)
                on delete cascade,
            unique (round_id, release_no, set_id, threshold, set_version)
        );
    """)


@migrations(name="0012_rendered_fragments")
def rendered_fragments(db: Database) -> None:
    # Rendered parts of report pages (scan.rendered), shared by every worker: one
    # row per page and variant (language, role), replaced when what it shows
    # changes; gone with the partnership.
    db.executescript("""
        create table rendered_fragment (
            partnership_id integer not null references partnership(id) on delete cascade,
            page text not null,
            variant text not null,
            digest text not null,
            html text not null,
            made_at text not null default (datetime('now')),
            primary key (partnership_id, page, variant)
        );
    """)


@migrations(name="0013_personal_starts")
def personal_starts(db: Database) -> None:
    # How a questionnaire was started: 'group' (the shared group link) or
    # 'personal' (a personal invitation, which counts as one person). Only the
    # way in is kept, never which invitation: no answer can be joined to an
    # address. group_link.invited (0008) is the number of people expected.
    db.execute("alter table respondent add column via text not null default 'group' "
               "check (via in ('group', 'personal'))")


@migrations(name="0014_anonymity")
def anonymity(db: Database) -> None:
    # Joint scoring: the facilitator's expected number of seats (null: not given)
    # and whether joining is locked once the room is in. Comments: a coordinator
    # may hold one back before it is released (who and when is in the audit log).
    # Rounds: questionnaires through a group link stop at the link's expected
    # number of people (group_link.invited) unless the coordinator lifts the cap.
    db.executescript("""
        alter table workshop add column expected_seats integer;
        alter table workshop add column joining_locked integer not null default 0;
        alter table comment add column held_back integer not null default 0;
        alter table round add column cap_at_expected integer not null default 1;
    """)


@migrations(name="0015_mail")
def mail(db: Database) -> None:
    # mail: the outbox every message goes through (scan.mail). A message is queued
    # in the request, sent after it; once delivered its text is emptied (it may hold
    # a one-time link). A failed one keeps its text for "retry".
    # round_invitation: one personal invitation to answer a round (scan.personal).
    # A hash of a value derived from the personal token, the address and the nonce
    # the token is made from (both erased at sending in and when the round closes),
    # and flags; no times, and nothing in
    # respondent points here: no answer can be joined to an address. reminders
    # counts the reminders this address got (at most scan.personal.MAX_REMINDERS).
    # password_reset: a one-time link to set a new password ("Wachtwoord vergeten?").
    db.executescript("""
        create table round_invitation (
            id integer primary key,
            round_id integer not null references round(id) on delete cascade,
            group_link_id integer not null references group_link(id) on delete cascade,
            token_hash text not null unique,
            nonce text,
            email text collate nocase,
            lang text not null default 'nl' check (lang in ('nl', 'en')),
            sent integer not null default 0,
            submitted integer not null default 0,
            reminders integer not null default 0
        );
        create unique index round_invitation_email on round_invitation(round_id, email)
            where email is not null;
        create index round_invitation_link on round_invitation(group_link_id, submitted);
        create table mail (
            id integer primary key,
            partnership_id integer references partnership(id) on delete cascade,
            round_id integer references round(id) on delete cascade,
            invitation_id integer references round_invitation(id) on delete cascade,
            purpose text not null,
            recipient text not null,
            subject text not null,
            message blob,
            status text not null default 'queued'
                check (status in ('queued', 'sending', 'sent', 'failed')),
            attempts integer not null default 0,
            error text not null default '',
            created_at text not null default (datetime('now')),
            sent_at text
        );
        create index mail_status on mail(status, id);
        create index mail_partnership on mail(partnership_id, status);
        create table password_reset (
            id integer primary key,
            token_hash text not null unique,
            user_id integer not null references user(id) on delete cascade,
            created_at text not null default (datetime('now')),
            used_at text
        );
        create index password_reset_user on password_reset(user_id);
    """)


@migrations(name="0016_room")
def room(db: Database) -> None:
    # Phones take part in card workshops: an anonymous note (reaction) on the card
    # on screen. As with joint scoring's sticky notes, nothing records who wrote it
    # (no participant, no address); the room sees the notes of a card once the
    # facilitator shows them (workshop_card.notes_shown). The same text twice on a
    # card (a double tap) is kept once.
    # A dot vote over the session's cards: a phone's dots are kept, under a random
    # token only its own cookie knows, while the vote runs; ending it keeps only the
    # total per card (workshop_card.dots) and forgets the voters (scan.card_vote).
    db.executescript("""
        create table card_note (
            id integer primary key,
            workshop_id integer not null references workshop(id) on delete cascade,
            row_id integer not null references workshop_card(id) on delete cascade,
            body text not null check (length(body) between 1 and 280),
            created_at text not null default (datetime('now'))
        );
        create unique index card_note_once on card_note(row_id, body);
        alter table workshop_card add column notes_shown integer not null default 0;
        alter table workshop_card add column dots integer not null default 0;
        create table card_voter (
            id integer primary key,
            workshop_id integer not null references workshop(id) on delete cascade,
            token_hash text not null unique
        );
        create table card_dot (
            voter_id integer not null references card_voter(id) on delete cascade,
            row_id integer not null references workshop_card(id) on delete cascade,
            dots integer not null check (dots > 0),
            primary key (voter_id, row_id)
        );
    """)


@migrations(name="0020_dossier")
def dossier(db: Database) -> None:
    # The peer-review dossier (scan.dossier): the coordinator's reflection per
    # standard of a framework, every save a new version (nothing is overwritten).
    # panel_link: a read-only link for a visiting review panel to a frozen copy of
    # the dossier, rendered once in both languages; only a hash of its token is kept.
    # benchmark_choice: whether a partnership takes part in the benchmark of a set;
    # benchmark_publication: the benchmark of a set in a school year as published
    # (scan.benchmark), with the members and their released theme means frozen, so
    # a later opt-in or opt-out changes nothing already shown.
    db.executescript("""
        create table dossier_reflection (
            id integer primary key,
            partnership_id integer not null references partnership(id) on delete cascade,
            framework_id text not null,
            standard_id text not null,
            version integer not null,
            body text not null check (length(body) <= 8000),
            user_id integer references user(id) on delete set null,
            created_at text not null default (datetime('now')),
            unique (partnership_id, framework_id, standard_id, version)
        );
        create table panel_link (
            id integer primary key,
            partnership_id integer not null references partnership(id) on delete cascade,
            framework_id text not null,
            token_hash text not null unique,
            years text not null,
            html_nl text not null,
            html_en text not null,
            expires_at text not null,
            revoked_at text,
            created_by integer references user(id) on delete set null,
            created_at text not null default (datetime('now'))
        );
        create index panel_link_partnership on panel_link(partnership_id);
        create table benchmark_choice (
            partnership_id integer not null references partnership(id) on delete cascade,
            set_id text not null,
            opted_in integer not null check (opted_in in (0, 1)),
            changed_at text not null default (datetime('now')),
            primary key (partnership_id, set_id)
        );
        create table benchmark_publication (
            id integer primary key autoincrement,
            set_id text not null,
            school_year text not null,
            set_version text not null,
            members text not null,
            theme_means text not null,
            created_at text not null default (datetime('now'))
        );
        create index benchmark_publication_set on benchmark_publication(set_id, school_year);
    """)


@migrations(name="0017_trust")
def trust(db: Database) -> None:
    # audit.count: anonymous events (failed sign-ins without an account, refused
    # access) are kept as one row per hour, action, partnership and detail with a
    # count, so no flood of them can bury what people did (scan.accounts.record).
    # invitation.revoked_at / lapsed_at: an invitation ended by a coordinator, or
    # because its coordinator stopped being one, stays ended (scan.invitations).
    # user.totp_secret / totp_step: the optional second factor, and the last time
    # step used (a code works once). generation: one random id per database that
    # `scan restore` replaces, so every worker's caches see a restored database as
    # a different one (scan.caches).
    db.executescript("""
        alter table audit add column count integer not null default 1;
        create index audit_action on audit(action, id);
        create index audit_user on audit(user_id, id);
        create index audit_at on audit(at);
        alter table invitation add column revoked_at text;
        alter table invitation add column lapsed_at text;
        update invitation set lapsed_at = datetime('now')
         where accepted_at is null and not exists (
               select 1 from membership m where m.user_id = invitation.invited_by
                  and m.partnership_id = invitation.partnership_id
                  and m.role = 'coordinator')
           and not exists (select 1 from user u where u.id = invitation.invited_by
                           and u.is_admin = 1);
        alter table user add column totp_secret text;
        alter table user add column totp_step integer not null default 0;
        create table generation (id text not null);
        insert into generation (id) values (lower(hex(randomblob(16))));
    """)


@migrations(name="0026_mail_queue")
def mail_queue(db: Database) -> None:
    # mail_job: work for the background sender that makes messages, so that the
    # request asking for it takes the same time whatever it comes to. One job per
    # press of "remind": the sender finds who has not sent in and builds their mails
    # (scan.personal.ask_to_remind). base_url is the address the coordinator used, so
    # the links in the mails lead to the same site; sender_id gives Reply-To and the
    # name under the text. The row goes when its mails are built.
    # mail.link_id: the password reset or member invitation whose one-time link the
    # message carries (which of the two: mail.purpose). When that link stops working
    # (used, replaced, withdrawn, expired) its copy in the outbox folder is erased
    # (scan.mail.forget_ended_links).
    db.executescript("""
        create table mail_job (
            id integer primary key,
            kind text not null check (kind in ('remind')),
            partnership_id integer not null references partnership(id) on delete cascade,
            round_id integer not null references round(id) on delete cascade,
            group_link_id integer not null references group_link(id) on delete cascade,
            sender_id integer references user(id) on delete set null,
            base_url text not null,
            created_at text not null default (datetime('now'))
        );
        alter table mail add column link_id integer;
        create index mail_link on mail(purpose, link_id) where link_id is not null;
    """)
