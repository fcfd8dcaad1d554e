import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { getToken, onUnauthorized, request, setToken } from '../api/client.ts';
import { API, useMe } from '../api/hooks.ts';
import type { User } from '../api/types.ts';

interface AuthState {
  token: string | null;
  user: User | undefined;
  loading: boolean;
  login(username: string, password: string): Promise<User>;
  logout(): void;
}

const AuthContext = createContext<AuthState | null>(null);

const ROLE_KEY = 'cuntong.role';
/** The last signed-in role, only to decide what to prefetch at start-up (never for access). */
export function rememberedRole(): string | null {
  try {
    return localStorage.getItem(ROLE_KEY);
  } catch {
    return null;
  }
}
function rememberRole(role: string | null): void {
  try {
    if (role) localStorage.setItem(ROLE_KEY, role);
    else localStorage.removeItem(ROLE_KEY);
  } catch {
    // storage unavailable
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [token, setTokenState] = useState<string | null>(() => getToken());
  const me = useMe(Boolean(token));

  useEffect(
    () =>
      onUnauthorized(() => {
        setTokenState(null);
        qc.clear();
      }),
    [qc],
  );

  const login = useCallback(
    async (username: string, password: string) => {
      const res = await request<{ token: string; user: User }>(`${API}/auth/login`, { method: 'POST', body: { username, password } });
      qc.clear();
      setToken(res.token);
      rememberRole(res.user.role);
      qc.setQueryData(['me'], res.user);
      setTokenState(res.token);
      return res.user;
    },
    [qc],
  );

  const logout = useCallback(() => {
    rememberRole(null);
    setToken(null);
    setTokenState(null);
    qc.clear();
  }, [qc]);

  const value = useMemo<AuthState>(
    () => ({ token, user: token ? me.data : undefined, loading: Boolean(token) && me.isPending, login, logout }),
    [token, me.data, me.isPending, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in user (only inside the route guard). */
export function useUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error('useUser outside the route guard');
  return user;
}

/** County scope: a county manager is pinned to their county; an admin chooses (undefined = all). */
export function useCountyScope(): { fixedCounty: string | undefined; canChooseCounty: boolean } {
  const user = useUser();
  if (user.role === 'admin') return { fixedCounty: undefined, canChooseCounty: true };
  return { fixedCounty: user.countyCode, canChooseCounty: false };
}
