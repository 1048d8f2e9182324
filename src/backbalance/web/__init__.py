"""The web app: a Django project that is an adapter over ``backbalance.core.api``.

Each Django app is one part of the journey (accounts, checkup, routine, journal,
therapies); views stay thin and call their app's ``services`` module, which calls the
core API inside a transaction. See the README's "Running the app" section.
"""
