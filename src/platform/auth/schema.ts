import { Type, type Static } from 'typebox';

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const MeResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.Union([Type.Literal('citizen'), Type.Literal('official')]),
  username: Type.String(),
  fullName: Type.String(),
  csrfToken: Type.String(),
  roles: Type.Array(Type.Object({ role: Type.String(), orgUnitId: Type.String(), orgUnitName: Type.String() })),
});
