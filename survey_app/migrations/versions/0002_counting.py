"""counting: verdict rule, minimum coverage, forms issued, households fixed at open, frozen figures

Revision ID: 0002_counting
Revises: 0001
Create Date: 2026-11-22 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_counting'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verdict_rule', sa.String(length=20), server_default='overall', nullable=False))
        batch_op.add_column(sa.Column('min_coverage', sa.Double(), server_default='0.7', nullable=False))
        batch_op.add_column(sa.Column('forms_issued', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('household_counts', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('frozen_figures', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('opened_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        for name in ('published_at', 'closed_at', 'opened_at', 'frozen_figures', 'household_counts',
                     'forms_issued', 'min_coverage', 'verdict_rule'):
            batch_op.drop_column(name)
