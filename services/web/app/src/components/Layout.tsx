import { useState } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { useAuth } from '../auth/AuthContext';
import { getCart } from '../api/endpoints';
import { SearchBox } from './SearchBox';

const navCls = ({ isActive }: { isActive: boolean }) =>
  `block rounded-md px-3 py-2 text-sm font-medium ${isActive ? 'bg-indigo-50 text-indigo-700' : 'text-slate-700 hover:bg-slate-100'}`;

export function Layout() {
  const { user, logout, hasRole } = useAuth();
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const cart = useQuery({ queryKey: ['cart'], queryFn: getCart, enabled: !!user });
  const count = cart.data?.itemCount ?? 0;

  const links = (
    <>
      <NavLink to="/products" className={navCls} data-testid="nav-products" onClick={() => setOpen(false)}>
        Products
      </NavLink>
      {user && (
        <>
          <NavLink to="/orders" className={navCls} data-testid="nav-orders" onClick={() => setOpen(false)}>
            Orders
          </NavLink>
          <NavLink to="/notifications" className={navCls} data-testid="nav-notifications" onClick={() => setOpen(false)}>
            Notifications
          </NavLink>
          <NavLink to="/account" className={navCls} data-testid="nav-account" onClick={() => setOpen(false)}>
            Account
          </NavLink>
        </>
      )}
      {hasRole('admin') && (
        <NavLink to="/admin" className={navCls} data-testid="nav-admin" onClick={() => setOpen(false)}>
          Admin
        </NavLink>
      )}
      {hasRole('vendor') && (
        <NavLink to="/vendor" className={navCls} data-testid="nav-vendor" onClick={() => setOpen(false)}>
          My products
        </NavLink>
      )}
    </>
  );

  return (
    <div className="flex min-h-screen flex-col bg-slate-50 text-slate-900">
      <header className="sticky top-0 z-20 border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-3 px-4 py-3">
          <button
            type="button"
            className="rounded-md p-2 text-slate-700 hover:bg-slate-100 md:hidden"
            aria-label="Menu"
            aria-expanded={open}
            data-testid="nav-toggle"
            onClick={() => setOpen((o) => !o)}
          >
            <svg viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
              <path d="M4 6h16M4 12h16M4 18h16" />
            </svg>
          </button>
          <Link to="/" className="text-lg font-bold text-indigo-700" data-testid="nav-home">
            Storefront
          </Link>
          <nav className="hidden items-center gap-1 md:flex">{links}</nav>
          <SearchBox testId="header-search" className="ml-auto hidden sm:block" inputClassName="w-48 py-1.5 lg:w-64" />
          <div className="ml-auto flex items-center gap-2 sm:ml-0">
            <Link to="/cart" className="relative rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100" data-testid="nav-cart">
              Cart
              {count > 0 && (
                <span data-testid="cart-count" className="ml-1 rounded-full bg-indigo-600 px-2 py-0.5 text-xs text-white">
                  {count}
                </span>
              )}
            </Link>
            {user ? (
              <button
                type="button"
                className="rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100"
                data-testid="logout"
                onClick={async () => {
                  await logout();
                  navigate('/');
                }}
              >
                Log out
              </button>
            ) : (
              <>
                <Link to="/login" className="rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100" data-testid="nav-login">
                  Log in
                </Link>
                <Link
                  to="/register"
                  className="hidden rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500 sm:inline-block"
                  data-testid="nav-register"
                >
                  Sign up
                </Link>
              </>
            )}
          </div>
        </div>
        {open && (
          <div className="border-t border-slate-200 px-4 py-3 md:hidden" data-testid="mobile-menu">
            <SearchBox testId="mobile-search" className="mb-2 sm:hidden" inputClassName="w-full py-2" onDone={() => setOpen(false)} />
            <nav className="flex flex-col gap-1">
              {links}
              {!user && (
                <NavLink to="/register" className={navCls} onClick={() => setOpen(false)}>
                  Sign up
                </NavLink>
              )}
            </nav>
          </div>
        )}
      </header>
      <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-6">
        <Outlet />
      </main>
      <footer className="border-t border-slate-200 bg-white py-4 text-center text-xs text-slate-500">Storefront</footer>
    </div>
  );
}
