import type { InjectionToken, Type } from '@nestjs/common';
import { ApplicationConfig, ModuleRef } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import type { Module } from '@nestjs/core/injector/module.js';

// Reading Nest's InstanceWrapper: a provider as the DI container holds it, built or not.

/**
 * The class whose decorators describe a provider. Once built, the instance's class (a
 * factory may return a decorated subclass, as the tasks processor does); in preview mode
 * nothing is built, so a factory provider falls back to its token when that is a class.
 */
export function classOf(wrapper: InstanceWrapper): Type | undefined {
  const type = (wrapper.instance as { constructor?: unknown } | null | undefined)?.constructor;
  if (typeof type === 'function' && type !== Object && typeof wrapper.instance === 'object') return type as Type;
  if (wrapper.inject) return typeof wrapper.token === 'function' ? (wrapper.token as Type) : undefined;
  return (wrapper.metatype as Type | null) ?? undefined;
}

/** Providers Nest adds to every module: the module class itself, ModuleRef and ApplicationConfig. */
export function isImplicit(wrapper: InstanceWrapper, module: Module): boolean {
  return wrapper.token === module.metatype || wrapper.token === ModuleRef || wrapper.token === ApplicationConfig;
}

/** The token, and the class when a class provider binds the token to another one (a port to its adapter). */
export function providerEntry(wrapper: InstanceWrapper): { token: string; class?: string } {
  const token = tokenName(wrapper.token);
  const isClassProvider = !wrapper.inject && typeof wrapper.metatype === 'function';
  return isClassProvider && wrapper.metatype!.name !== token ? { token, class: wrapper.metatype!.name } : { token };
}

export function tokenName(token: InjectionToken): string {
  if (typeof token === 'function') return token.name;
  // Nest registers each APP_GUARD, APP_PIPE... provider under a token made unique with a UUID.
  return String(token).replace(/ \(UUID: [^)]+\)$/, '');
}
