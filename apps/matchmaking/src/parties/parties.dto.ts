import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { PARTY_STATUSES } from '@app/persistence';

export class CreatePartyRequest {
  @ApiProperty({ example: '2v2', description: 'a team format of FORMATS (NvN, N ≥ 2): the party’s size is N' })
  @IsString()
  @Matches(/^\d{1,2}v\d{1,2}$/, { message: 'format must look like 2v2' })
  format: string;
}

export class PartyMemberDto {
  @ApiProperty({ example: 'alice' }) user_id: string;
  @ApiProperty({ example: 'Alice', nullable: true, type: String }) username: string | null;
  @ApiProperty({
    example: 1500,
    description: 'in the category of the party’s ticket, else the format’s blitz category (team_blitz)',
  })
  rating: number;
  @ApiProperty({ format: 'date-time' }) joined_at: string;
}

export class PartyDto {
  @ApiProperty({ example: 'p_Jx2w9f0aZ1b8cQ3d', description: 'unguessable (96 random bits): the invite code' })
  party_id: string;
  @ApiProperty({ example: 'alice' }) leader_user_id: string;
  @ApiProperty({ example: '2v2' }) format: string;
  @ApiProperty({ enum: PARTY_STATUSES }) status: string;
  @ApiProperty({ type: [PartyMemberDto], description: 'live members, longest-standing first' })
  members: PartyMemberDto[];
  @ApiProperty({ nullable: true, type: String, description: 'the party’s ticket while QUEUED or IN_GAME' })
  queue_entry_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}
