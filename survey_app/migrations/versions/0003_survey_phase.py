"""survey drafts: a named phase instead of the web page number, and a version for the review

The integer `step` encoded web pages (1..pages = a page, pages+1 = other opinions, pages+2 = the
review). A chat channel has no pages, so the draft now keeps only the phase (questions, other,
review) and the next question is worked out from the answers. `version` counts every save: the
review form carries it, so a send after another phone changed the draft shows the new review.

Revision ID: 0003_survey_phase
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_survey_phase'
down_revision = '0001'
branch_labels = None
depends_on = None

PAGE_SIZE = 3  # the web's page size when the steps were written


def _pages(questions: int) -> int:
    pages = -(-questions // PAGE_SIZE)
    return pages - 1 if pages > 1 and questions % PAGE_SIZE == 1 else pages


def upgrade():
    with op.batch_alter_table('survey_draft', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phase', sa.String(length=16), nullable=False, server_default='questions'))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))

    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT d.id, d.step, (SELECT count(*) FROM question q WHERE q.questionnaire_id = c.questionnaire_id) "
        "FROM survey_draft d JOIN campaign c ON c.id = d.campaign_id")).all()
    for draft_id, step, questions in rows:
        pages = _pages(questions)
        phase = 'review' if step > pages + 1 else 'other' if step == pages + 1 else 'questions'
        if phase != 'questions':
            conn.execute(sa.text("UPDATE survey_draft SET phase = :phase WHERE id = :id"),
                         {"phase": phase, "id": draft_id})

    with op.batch_alter_table('survey_draft', schema=None) as batch_op:
        batch_op.drop_column('step')


def downgrade():
    with op.batch_alter_table('survey_draft', schema=None) as batch_op:
        batch_op.add_column(sa.Column('step', sa.Integer(), nullable=False, server_default='0'))
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE survey_draft SET step = 1 WHERE phase = 'questions'"))
    conn.execute(sa.text("UPDATE survey_draft SET step = 1000 WHERE phase <> 'questions'"))
    with op.batch_alter_table('survey_draft', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('phase')
