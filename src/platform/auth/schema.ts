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
  csrfToken: Type.String({ description: 'send as x-csrf-token on unsafe requests made with the session cookie; empty for API clients, which need none' }),
  roles: Type.Array(Type.Object({ role: Type.String(), orgUnitId: Type.String(), orgUnitName: Type.String() })),
  apiClient: Type.Optional(Type.Object({ id: Type.String({ format: 'uuid' }), orgUnitId: Type.String({ format: 'uuid' }), permissions: Type.Array(Type.String()) }, { description: 'when the caller is an API client (bearer key)' })),
});
