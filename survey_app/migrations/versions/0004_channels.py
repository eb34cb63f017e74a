"""channels: the Zalo OA's rotating token pair

Revision ID: 0004_channels
Revises: 0003_survey_phase
Create Date: 2026-11-22 22:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_channels'
down_revision = "0003_survey_phase"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('zalo_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('app_id', sa.String(length=32), nullable=False),
    sa.Column('access_token', sa.Text(), nullable=True),
    sa.Column('refresh_token', sa.Text(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zalo_token')),
    sa.UniqueConstraint('app_id', name=op.f('uq_zalo_token_app_id'))
    )


def downgrade():
    op.drop_table('zalo_token')
